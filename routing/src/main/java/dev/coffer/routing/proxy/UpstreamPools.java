package dev.coffer.routing.proxy;

import dev.coffer.routing.table.Upstream;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keep-alive connections to upstreams, pooled per upstream and per event loop (so a request and its
 * upstream connection share a thread), each pool bounded; a request waits for a connection at most
 * the connect timeout. TLS, when given, wraps each new connection with the context the supplier
 * gives at that moment, so a reloaded certificate is used by the next new connection; the
 * upstream's host name is verified against its certificate.
 */
final class UpstreamPools implements AutoCloseable {
  /** Requests that may wait for a connection of one pool before they fail fast. */
  private static final int MAX_PENDING_ACQUIRES = 1_024;

  /** An upstream's answer headers are read up to this many bytes. */
  private static final int MAX_RESPONSE_HEADER_BYTES = 16 * 1024;

  private record Key(EventLoop loop, Upstream upstream) {}

  private final ConcurrentMap<Key, FixedChannelPool> pools = new ConcurrentHashMap<>();
  private final Optional<Supplier<SslContext>> tls;
  private final ProxySettings settings;
  private final RouterMetrics metrics;

  UpstreamPools(Optional<Supplier<SslContext>> tls, ProxySettings settings, RouterMetrics metrics) {
    this.tls = tls;
    this.settings = settings;
    this.metrics = metrics;
  }

  FixedChannelPool pool(EventLoop loop, Upstream upstream) {
    return pools.computeIfAbsent(new Key(loop, upstream), this::newPool);
  }

  private FixedChannelPool newPool(Key key) {
    Upstream upstream = key.upstream();
    int connectMillis = (int) settings.connectTimeout().toMillis();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(key.loop())
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
            .option(ChannelOption.TCP_NODELAY, true)
            .remoteAddress(upstream.host(), upstream.port());
    return new FixedChannelPool(
        bootstrap,
        new AbstractChannelPoolHandler() {
          @Override
          public void channelCreated(Channel channel) {
            metrics.upstreamConnections().incrementAndGet();
            channel
                .closeFuture()
                .addListener(closed -> metrics.upstreamConnections().decrementAndGet());
            if (tls.isPresent()) {
              channel
                  .pipeline()
                  .addLast(
                      tls.get()
                          .get()
                          .newHandler(channel.alloc(), upstream.host(), upstream.port()));
            }
            channel
                .pipeline()
                .addLast(
                    new HttpClientCodec(
                        ProxySettings.MAX_REQUEST_LINE_BYTES, MAX_RESPONSE_HEADER_BYTES, 16 * 1024))
                .addLast(
                    new IdleStateHandler(
                        0, 0, settings.upstreamIdleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast(UpstreamHandler.INSTANCE);
          }
        },
        ChannelHealthChecker.ACTIVE,
        FixedChannelPool.AcquireTimeoutAction.FAIL,
        connectMillis,
        settings.maxConnectionsPerUpstream(),
        MAX_PENDING_ACQUIRES,
        true,
        true);
  }

  @Override
  public void close() {
    pools.values().forEach(FixedChannelPool::close);
    pools.clear();
  }
}
