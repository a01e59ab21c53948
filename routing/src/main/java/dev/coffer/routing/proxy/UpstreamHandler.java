package dev.coffer.routing.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of every upstream connection: hands what the connection reads to the exchange
 * that holds it, and closes a pooled connection that speaks out of turn or idles too long.
 */
@ChannelHandler.Sharable
// Netty reports an I/O failure to the pipeline (exceptionCaught, the channel closing) whatever
// happens to the ChannelFuture of a write or close; ignoring those futures is the idiom here.
@SuppressWarnings("FutureReturnValueIgnored")
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
  static final UpstreamHandler INSTANCE = new UpstreamHandler();

  private static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("coffer.exchange");

  private UpstreamHandler() {}

  static void bind(Channel channel, Exchange exchange) {
    channel.attr(EXCHANGE).set(exchange);
  }

  static void unbind(Channel channel) {
    channel.attr(EXCHANGE).set(null);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Exchange exchange = ctx.channel().attr(EXCHANGE).get();
    if (exchange == null) {
      // An idle pooled connection has nothing to say; whatever it says, it is no longer usable.
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    if (msg instanceof HttpResponse response) {
      exchange.upstreamResponded(response);
    }
    if (msg instanceof HttpContent content) {
      exchange.upstreamContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Exchange exchange = ctx.channel().attr(EXCHANGE).get();
    if (exchange != null) {
      exchange.upstreamBroke(null);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Exchange exchange = ctx.channel().attr(EXCHANGE).get();
    ctx.close();
    if (exchange != null) {
      exchange.upstreamBroke(cause);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent && ctx.channel().attr(EXCHANGE).get() == null) {
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, event);
  }
}
