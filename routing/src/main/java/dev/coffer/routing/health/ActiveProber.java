package dev.coffer.routing.health;

import dev.coffer.routing.table.Upstream;
import io.dropwizard.lifecycle.Managed;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every upstream with a TCP connect to its API port at a fixed interval. A connect proves
 * the server process listens; an HTTP request would prove more, but every API request needs a token
 * (the cheapest one is a 401 the server logs and counts) and the admin port's health check is not
 * reachable from the router. Requests that fail eject an upstream passively in the meantime.
 */
public final class ActiveProber implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(ActiveProber.class);

  private final Upstreams upstreams;
  private final Supplier<List<Upstream>> targets;
  private final EventLoopGroup group;
  private final Duration interval;
  private final Duration timeout;
  private ScheduledFuture<?> schedule;

  public ActiveProber(
      Upstreams upstreams,
      Supplier<List<Upstream>> targets,
      EventLoopGroup group,
      Duration interval,
      Duration timeout) {
    this.upstreams = upstreams;
    this.targets = targets;
    this.group = group;
    this.interval = interval;
    this.timeout = timeout;
  }

  @Override
  public synchronized void start() {
    schedule =
        group.scheduleWithFixedDelay(this::probeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Probes each target once; answers arrive asynchronously. */
  public void probeAll() {
    for (Upstream upstream : targets.get()) {
      probe(upstream);
    }
  }

  private void probe(Upstream upstream) {
    UpstreamHealth health = upstreams.of(upstream);
    ChannelFuture connect =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
            .handler(new ChannelInboundHandlerAdapter())
            .connect(upstream.host(), upstream.port());
    connect.addListener(
        (ChannelFuture done) -> {
          boolean reached = done.isSuccess();
          if (reached) {
            // Only the connect is the probe; how the close ends does not matter.
            var unused = done.channel().close();
          }
          if (health.probeReached() != reached) {
            LOG.info(
                "Upstream {} is {} by its probe.", upstream, reached ? "reachable" : "unreachable");
          }
          health.probed(reached);
        });
  }

  @Override
  public synchronized void stop() {
    if (schedule != null) {
      schedule.cancel(false);
      schedule = null;
    }
  }
}
