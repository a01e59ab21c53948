package dev.coffer.routing.proxy;

import dev.coffer.core.error.ErrorCode;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a client connection may hold the router without giving it a request: idle between
 * requests ({@code idle}: closed silently, as a keep-alive timeout), and from a request's first
 * byte to its last ({@code requestRead}: 408 REQUEST_TIMEOUT, then closed). A slow client that
 * sends a byte at a time (slowloris) is cut off by the second, which a read-idle timer alone would
 * not do. While a request is being forwarded the router reads nothing more from the client, and the
 * exchange's own timeout bounds it.
 */
// Netty reports an I/O failure to the pipeline (exceptionCaught, the channel closing) whatever
// happens to the ChannelFuture of a write or close; ignoring those futures is the idiom here.
@SuppressWarnings("FutureReturnValueIgnored")
final class SlowClientGuard extends ChannelDuplexHandler {
  private final long idleMillis;
  private final long requestReadMillis;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> deadline;
  private boolean readingRequest;
  private boolean forwarding;

  SlowClientGuard(Duration idle, Duration requestRead) {
    this.idleMillis = idle.toMillis();
    this.requestReadMillis = requestRead.toMillis();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    arm(idleMillis, this::idleTimedOut);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!readingRequest && !forwarding) {
      readingRequest = true;
      arm(requestReadMillis, this::requestReadTimedOut);
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  /** A whole request arrived and is being answered. */
  void requestReceived() {
    readingRequest = false;
    forwarding = true;
    cancel();
  }

  /** The answer is sent; the connection waits for the next request. */
  void answered() {
    forwarding = false;
    if (!readingRequest) {
      arm(idleMillis, this::idleTimedOut);
    }
  }

  private void idleTimedOut() {
    ctx.close();
  }

  private void requestReadTimedOut() {
    String message = ErrorReplies.sentence(ErrorCode.REQUEST_TIMEOUT);
    ctx.channel()
        .writeAndFlush(
            ErrorReplies.of(ErrorCode.REQUEST_TIMEOUT, message, RequestIds.fresh(), false, true))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void arm(long millis, Runnable action) {
    cancel();
    deadline = ctx.executor().schedule(action, millis, TimeUnit.MILLISECONDS);
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
