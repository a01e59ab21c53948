package dev.coffer.routing.proxy;

import dev.coffer.routing.health.Upstreams;
import dev.coffer.routing.table.RoutingTable;
import io.dropwizard.lifecycle.Managed;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's client-facing HTTP/1.1 server. Plain HTTP only on a loopback address: anywhere else
 * it refuses to start without TLS. A TLS context comes from a supplier asked at each new
 * connection, so a reloaded certificate is used by the next connection without a restart.
 */
public final class RouterServer implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);

  private final InetSocketAddress listen;
  private final Optional<Supplier<SslContext>> clientTls;
  private final NettyLoops loops;
  private final ProxyContext context;
  private final ProxySettings settings;
  private Channel server;

  public RouterServer(
      InetSocketAddress listen,
      RouterTls tls,
      ProxySettings settings,
      RoutingTable table,
      Upstreams upstreams,
      RouterMetrics metrics,
      NettyLoops loops) {
    this.listen = listen;
    this.clientTls = tls.clients();
    this.loops = loops;
    this.settings = settings;
    this.context =
        new ProxyContext(
            table,
            upstreams,
            new UpstreamPools(tls.upstreams(), settings, metrics),
            settings,
            metrics,
            new RequestIds(settings.preserveClientRequestId()));
  }

  @Override
  public synchronized void start() throws InterruptedException {
    if (clientTls.isEmpty()
        && (listen.getAddress() == null || !listen.getAddress().isLoopbackAddress())) {
      throw new IllegalStateException(
          "The router serves plain HTTP only on a loopback address; configure TLS to listen on "
              + listen.getHostString());
    }
    server =
        new ServerBootstrap()
            .group(loops.acceptor(), loops.workers())
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1_024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    initClient(channel);
                  }
                })
            .bind(listen)
            .sync()
            .channel();
    LOG.info(
        "Router listening on {} ({}).",
        boundAddress(),
        clientTls.isPresent() ? "TLS" : "plain HTTP");
  }

  private void initClient(SocketChannel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    clientTls.ifPresent(tls -> pipeline.addLast(tls.get().newHandler(channel.alloc())));
    SlowClientGuard guard =
        new SlowClientGuard(settings.clientIdleTimeout(), settings.clientRequestReadTimeout());
    pipeline
        .addLast(guard)
        .addLast(
            new HttpServerCodec(
                new HttpDecoderConfig()
                    .setMaxInitialLineLength(ProxySettings.MAX_REQUEST_LINE_BYTES)
                    .setMaxHeaderSize(ProxySettings.MAX_HEADER_BYTES)
                    .setMaxChunkSize(16 * 1024)))
        .addLast(new CappedAggregator(settings.maxBodyBytes()))
        .addLast(new ClientHandler(context, guard));
  }

  /** The address the server listens on, with the port chosen when the configured one was 0. */
  public synchronized InetSocketAddress boundAddress() {
    return (InetSocketAddress) server.localAddress();
  }

  @Override
  public synchronized void stop() throws InterruptedException {
    if (server != null) {
      server.close().sync();
      server = null;
    }
    context.pools().close();
  }
}
