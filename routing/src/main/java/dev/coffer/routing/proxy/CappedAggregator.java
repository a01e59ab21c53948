package dev.coffer.routing.proxy;

import dev.coffer.core.error.ErrorCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * Collects a request's body up to the servers' cap, so that a read can be replayed on a sibling
 * host and a write goes out whole or not at all. A larger body, declared or counted, is 413
 * REQUEST_TOO_LARGE in the error format (Netty's own answers have no body); so is an {@code Expect:
 * 100-continue} announcing one. The connection then closes: the rest of the body is not read.
 */
final class CappedAggregator extends HttpObjectAggregator {
  CappedAggregator(int maxBodyBytes) {
    super(maxBodyBytes, true);
  }

  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
    if (answer instanceof HttpResponse response && response.status().code() >= 400) {
      ReferenceCountUtil.release(answer);
      ErrorCode code =
          response.status().code() == 413
              ? ErrorCode.REQUEST_TOO_LARGE
              : ErrorCode.MALFORMED_REQUEST;
      return ErrorReplies.of(code, ErrorReplies.sentence(code), RequestIds.fresh(), false, true);
    }
    return answer;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    // The aggregator releases the message itself.
    ErrorCode code = ErrorCode.REQUEST_TOO_LARGE;
    ctx.writeAndFlush(
            ErrorReplies.of(code, ErrorReplies.sentence(code), RequestIds.fresh(), false, true))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
