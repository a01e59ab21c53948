package dev.coffer.routing.proxy;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.routing.route.RouteKind;
import dev.coffer.routing.table.Upstream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.pool.ChannelPool;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded request, from the whole request received to the whole answer sent; all of it runs
 * on the client connection's event loop. At most two attempts, on different upstreams:
 *
 * <ul>
 *   <li>any request is tried again when no connection could be had (refused, connect timeout, no
 *       free pooled connection) or a pooled connection was found closed before anything was
 *       written: nothing reached the upstream;
 *   <li>a read ({@link RouteKind#READ}, GET or HEAD, idempotent) is also tried again when its
 *       connection broke before an answer, or the answer was a 5xx, as long as nothing has been
 *       sent to the client yet; always on another host of the same cell, never another cell;
 *   <li>nothing is tried again after the first-byte timeout (a slow host is usually a loaded one,
 *       and a second try doubles its load), or after an answer that is not HTTP.
 * </ul>
 *
 * Once the answer's head has gone to the client, the body streams through with back-pressure (the
 * upstream connection stops reading while the client's is not writable); a failure from then on
 * closes the client's connection, the only way left to tell it the answer is incomplete.
 */
// Netty reports an I/O failure to the pipeline (exceptionCaught, the channel closing) whatever
// happens to the ChannelFuture of a write or close; ignoring those futures is the idiom here.
@SuppressWarnings("FutureReturnValueIgnored")
final class Exchange {
  private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
  private static final int MAX_ATTEMPTS = 2;

  private final ProxyContext context;
  private final ClientHandler client;
  private final Channel clientChannel;
  private final EventLoop loop;
  private final FullHttpRequest request;
  private final String requestId;
  private final RouteKind kind;
  private final List<Upstream> candidates;
  private final boolean clientKeepAlive;
  private final Set<Upstream> tried = new HashSet<>();

  private int attempts;
  private Upstream current;
  private ChannelPool pool;
  private Channel upstream;
  private long writtenAt;
  private boolean responseStarted;
  private boolean upstreamKeepAlive;
  private boolean closeClientAfter;
  private int status;
  private boolean done;
  private ScheduledFuture<?> requestTimer;
  private ScheduledFuture<?> firstByteTimer;

  Exchange(
      ProxyContext context,
      ClientHandler client,
      Channel clientChannel,
      FullHttpRequest request,
      String requestId,
      RouteKind kind,
      List<Upstream> candidates,
      boolean clientKeepAlive) {
    this.context = context;
    this.client = client;
    this.clientChannel = clientChannel;
    this.loop = clientChannel.eventLoop();
    this.request = request;
    this.requestId = requestId;
    this.kind = kind;
    this.candidates = candidates;
    this.clientKeepAlive = clientKeepAlive;
  }

  void start() {
    requestTimer =
        loop.schedule(
            this::requestTimedOut,
            context.settings().requestTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    Optional<Upstream> first = context.upstreams().pick(candidates, tried);
    if (first.isEmpty()) {
      fail(unavailable());
      return;
    }
    attempt(first.get());
  }

  private void attempt(Upstream target) {
    attempts++;
    tried.add(target);
    current = target;
    pool = context.pools().pool(loop, target);
    pool.acquire().addListener(this::acquired);
  }

  private void acquired(Future<? super Channel> acquisition) {
    ChannelPool acquiredFrom = pool;
    if (done || !acquisition.isSuccess()) {
      if (acquisition.isSuccess()) {
        acquiredFrom.release((Channel) acquisition.getNow());
      } else if (!done) {
        notWritten(acquisition.cause());
      }
      return;
    }
    upstream = (Channel) acquisition.getNow();
    UpstreamHandler.bind(upstream, this);
    upstream.config().setAutoRead(true);
    Channel sentOn = upstream;
    writtenAt = System.nanoTime();
    // Armed before the write, whose failure may start the next attempt before this method returns.
    firstByteTimer =
        loop.schedule(
            this::firstByteTimedOut,
            context.settings().firstByteTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    sentOn
        .writeAndFlush(upstreamRequest())
        .addListener(
            (ChannelFutureListener)
                written -> {
                  if (!written.isSuccess() && sentOn == upstream && !done) {
                    if (written.cause() instanceof ClosedChannelException) {
                      // The pool's connection was closed before a byte of this request left.
                      releaseUpstream(false);
                      notWritten(written.cause());
                    } else {
                      upstreamBroke(written.cause());
                    }
                  }
                });
  }

  private FullHttpRequest upstreamRequest() {
    HttpMethod method = request.method();
    boolean bodyAllowed =
        method.equals(HttpMethod.POST)
            || method.equals(HttpMethod.PUT)
            || method.equals(HttpMethod.DELETE);
    FullHttpRequest forwarded =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, method, request.uri(), request.content().retainedDuplicate());
    forwarded
        .headers()
        .set(
            ForwardedHeaders.toUpstream(
                request.headers(),
                current,
                requestId,
                request.content().readableBytes(),
                bodyAllowed));
    return forwarded;
  }

  /**
   * Nothing of this request reached {@link #current}: any request may go to another upstream. Only
   * a failure of the upstream counts against it; waiting too long for a free pooled connection is
   * the router's own congestion.
   */
  private void notWritten(Throwable cause) {
    if (cause instanceof IOException) {
      context.upstreams().failed(current);
    }
    Optional<Upstream> next = sibling();
    if (next.isPresent()) {
      context.metrics().retries().mark();
      attempt(next.get());
    } else {
      fail(unavailable());
    }
  }

  private Optional<Upstream> sibling() {
    return attempts < MAX_ATTEMPTS ? context.upstreams().pick(candidates, tried) : Optional.empty();
  }

  void upstreamResponded(HttpResponse response) {
    if (done || responseStarted) {
      return;
    }
    if (response.decoderResult().isSuccess()
        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      // A 100 Continue the router did not ask for: the answer is still to come.
      return;
    }
    cancel(firstByteTimer);
    context.metrics().firstByte(current, System.nanoTime() - writtenAt);
    if (response.decoderResult().isFailure()) {
      context.upstreams().failed(current);
      releaseUpstream(false);
      fail(ErrorCode.BAD_GATEWAY);
      return;
    }
    // A 5xx is an answer, not a failure of the upstream: it does not count towards ejection (a
    // control plane's 503 for one shard's store must not take it away from every other shard).
    if (response.status().code() >= 500) {
      Optional<Upstream> next = kind == RouteKind.READ ? sibling() : Optional.empty();
      if (next.isPresent()) {
        // The connection is mid-answer; dropping it is simpler than draining an answer unused.
        releaseUpstream(false);
        context.metrics().retries().mark();
        attempt(next.get());
        return;
      }
    }
    context.upstreams().succeeded(current);
    responseStarted = true;
    status = response.status().code();
    upstreamKeepAlive = HttpUtil.isKeepAlive(response);
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status());
    head.headers().set(ForwardedHeaders.toClient(response.headers(), requestId));
    boolean hasLength = response.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
    boolean bodiless =
        request.method().equals(HttpMethod.HEAD) || status == 204 || status == 304 || status < 200;
    if (hasLength) {
      head.headers()
          .set(
              HttpHeaderNames.CONTENT_LENGTH,
              response.headers().get(HttpHeaderNames.CONTENT_LENGTH));
    } else if (!bodiless) {
      if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
        HttpUtil.setTransferEncodingChunked(head, true);
      } else {
        // An HTTP/1.0 client learns the end of a body of unknown length by the close.
        closeClientAfter = true;
      }
    }
    if (!clientKeepAlive || closeClientAfter) {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    clientChannel.write(head);
  }

  void upstreamContent(HttpContent content) {
    if (done || !responseStarted) {
      content.release();
      return;
    }
    if (content.decoderResult().isFailure()) {
      content.release();
      context.upstreams().failed(current);
      abort();
      return;
    }
    if (content instanceof LastHttpContent) {
      // Trailers stay on the upstream's hop.
      clientChannel.writeAndFlush(new DefaultLastHttpContent(content.content()));
      finish();
      return;
    }
    clientChannel.writeAndFlush(content);
    if (!clientChannel.isWritable() && upstream != null) {
      upstream.config().setAutoRead(false);
    }
  }

  /** The client's connection drained its buffer, or filled it. */
  void clientWritabilityChanged() {
    if (upstream != null && !done) {
      upstream.config().setAutoRead(clientChannel.isWritable());
    }
  }

  /**
   * The upstream connection failed: closed, reset, or an error on it ({@code cause} may be null).
   */
  void upstreamBroke(Throwable cause) {
    if (done || upstream == null) {
      return;
    }
    if (cause != null) {
      LOG.debug("Upstream {} broke: {}", current, cause.getClass().getSimpleName());
    }
    context.upstreams().failed(current);
    cancel(firstByteTimer);
    if (responseStarted) {
      abort();
      return;
    }
    releaseUpstream(false);
    Optional<Upstream> next = kind == RouteKind.READ ? sibling() : Optional.empty();
    if (next.isPresent()) {
      context.metrics().retries().mark();
      attempt(next.get());
    } else {
      // A write may or may not have happened; a read found no second host to ask.
      fail(ErrorCode.BAD_GATEWAY);
    }
  }

  private void firstByteTimedOut() {
    if (done || responseStarted || upstream == null) {
      return;
    }
    context.upstreams().failed(current);
    releaseUpstream(false);
    fail(ErrorCode.GATEWAY_TIMEOUT);
  }

  private void requestTimedOut() {
    if (done) {
      return;
    }
    if (current != null) {
      context.upstreams().failed(current);
    }
    if (responseStarted) {
      abort();
    } else {
      releaseUpstream(false);
      fail(ErrorCode.GATEWAY_TIMEOUT);
    }
  }

  /** The client went away: nothing more to send, and the upstream's answer is cut off. */
  void clientGone() {
    if (done) {
      return;
    }
    done = true;
    cancelTimers();
    releaseUpstream(false);
    request.release();
  }

  private ErrorCode unavailable() {
    return kind == RouteKind.READ
        ? ErrorCode.CELL_UNAVAILABLE
        : ErrorCode.CONTROL_PLANE_UNAVAILABLE;
  }

  private void finish() {
    done = true;
    cancelTimers();
    releaseUpstream(upstreamKeepAlive);
    request.release();
    client.exchangeDone(kind, status, clientKeepAlive && !closeClientAfter);
  }

  private void fail(ErrorCode code) {
    done = true;
    cancelTimers();
    boolean head = request.method().equals(HttpMethod.HEAD);
    request.release();
    client.answerError(
        kind.metricName(), code, ErrorReplies.sentence(code), requestId, head, !clientKeepAlive);
  }

  /** A failure after the answer's head was sent: only closing tells the client. */
  private void abort() {
    done = true;
    cancelTimers();
    releaseUpstream(false);
    request.release();
    client.exchangeAborted(kind, status);
  }

  private void releaseUpstream(boolean reusable) {
    Channel channel = upstream;
    if (channel == null) {
      return;
    }
    cancel(firstByteTimer);
    upstream = null;
    UpstreamHandler.unbind(channel);
    channel.config().setAutoRead(true);
    if (!reusable) {
      channel.close();
    }
    pool.release(channel);
  }

  private void cancelTimers() {
    cancel(requestTimer);
    cancel(firstByteTimer);
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
