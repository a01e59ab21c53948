package dev.coffer.routing.proxy;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.VaultName;
import dev.coffer.routing.route.PathRouter;
import dev.coffer.routing.route.Route;
import dev.coffer.routing.route.RouteKind;
import dev.coffer.routing.table.Cell;
import dev.coffer.routing.table.Upstream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: takes whole requests one at a time (reading stops while one is forwarded,
 * so a pipelining client waits its turn), answers what it can without an upstream, and hands the
 * rest to an {@link Exchange}. Checks in the order the servers make them: HTTP itself (400, 414,
 * 431, 505), the request target (400), the method (405), the path (404), the names (400), then the
 * vault's placement (404) — so nothing malformed reaches an upstream.
 */
// Netty reports an I/O failure to the pipeline (exceptionCaught, the channel closing) whatever
// happens to the ChannelFuture of a write or close; ignoring those futures is the idiom here.
@SuppressWarnings("FutureReturnValueIgnored")
final class ClientHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
  private static final String REFUSED = "refused";

  private final ProxyContext context;
  private final SlowClientGuard guard;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private Exchange exchange;
  private boolean closing;

  ClientHandler(ProxyContext context, SlowClientGuard guard) {
    this.context = context;
    this.guard = guard;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    context.metrics().clientConnections().incrementAndGet();
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    context.metrics().clientConnections().decrementAndGet();
    closing = true;
    if (exchange != null) {
      exchange.clientGone();
      exchange = null;
    }
    waiting.forEach(ReferenceCountUtil::release);
    waiting.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request) || closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    guard.requestReceived();
    waiting.add(request);
    if (exchange == null) {
      next();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (exchange != null) {
      exchange.clientWritabilityChanged();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Types only: a lower layer's message could quote bytes of a request.
    LOG.debug("Client connection failed: {}", cause.getClass().getSimpleName());
    ctx.close();
  }

  private void next() {
    while (exchange == null && !closing && !waiting.isEmpty()) {
      handle(waiting.poll());
    }
    if (exchange == null && !closing) {
      ctx.channel().config().setAutoRead(true);
      guard.answered();
    }
  }

  private void handle(FullHttpRequest request) {
    String requestId = context.requestIds().idFor(request.headers());
    boolean head = request.method().equals(HttpMethod.HEAD);
    if (request.decoderResult().isFailure()) {
      ErrorCode code = protocolError(request.decoderResult().cause());
      request.release();
      answer(REFUSED, code, ErrorReplies.sentence(code), requestId, false, true);
      return;
    }
    HttpVersion version = request.protocolVersion();
    if (!version.equals(HttpVersion.HTTP_1_1) && !version.equals(HttpVersion.HTTP_1_0)) {
      request.release();
      ErrorCode code = ErrorCode.HTTP_VERSION_NOT_SUPPORTED;
      answer(REFUSED, code, ErrorReplies.sentence(code), requestId, false, true);
      return;
    }
    if (request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      // A coding besides chunked: the body's end cannot be known, so neither can the next request's
      // start (the servers refuse it the same way).
      request.release();
      ErrorCode code = ErrorCode.MALFORMED_REQUEST;
      answer(REFUSED, code, ErrorReplies.sentence(code), requestId, false, true);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    Route route = PathRouter.route(request.method().name(), request.uri());
    if (route instanceof Route.Refuse refuse) {
      request.release();
      answer(REFUSED, refuse.code(), refuse.message(), requestId, head, !keepAlive);
      return;
    }
    Route.Forward forward = (Route.Forward) route;
    List<Upstream> candidates;
    if (forward.kind() == RouteKind.READ) {
      VaultName vault = forward.vault().orElseThrow();
      Optional<Cell> cell = context.table().cellOf(vault);
      if (cell.isEmpty()) {
        request.release();
        ErrorCode code = ErrorCode.VAULT_NOT_FOUND;
        answer(
            RouteKind.READ.metricName(),
            code,
            ErrorReplies.sentence(code),
            requestId,
            head,
            !keepAlive);
        return;
      }
      candidates = cell.get().hosts();
    } else {
      candidates = context.table().controlPlanes();
    }
    ctx.channel().config().setAutoRead(false);
    exchange =
        new Exchange(
            context,
            this,
            ctx.channel(),
            request,
            requestId,
            forward.kind(),
            candidates,
            keepAlive);
    exchange.start();
  }

  private static ErrorCode protocolError(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return ErrorCode.URI_TOO_LONG;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return ErrorCode.HEADERS_TOO_LARGE;
    }
    return ErrorCode.MALFORMED_REQUEST;
  }

  private void answer(
      String route, ErrorCode code, String message, String requestId, boolean head, boolean close) {
    context.metrics().answered(route, code.status());
    var written = ctx.writeAndFlush(ErrorReplies.of(code, message, requestId, head, close));
    if (close) {
      closing = true;
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** An exchange could not get an answer and answers with an error instead. */
  void answerError(
      String route, ErrorCode code, String message, String requestId, boolean head, boolean close) {
    exchange = null;
    answer(route, code, message, requestId, head, close);
    next();
  }

  /** An exchange sent its whole answer. */
  void exchangeDone(RouteKind kind, int status, boolean keepAlive) {
    exchange = null;
    context.metrics().answered(kind.metricName(), status);
    if (!keepAlive) {
      closing = true;
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    next();
  }

  /** An exchange failed after its answer's head was sent. */
  void exchangeAborted(RouteKind kind, int status) {
    exchange = null;
    context.metrics().answered(kind.metricName(), status);
    closing = true;
    ctx.close();
  }
}
