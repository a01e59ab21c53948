package dev.coffer.routing.proxy;

import io.dropwizard.lifecycle.Managed;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.TimeUnit;

/**
 * The router's event loops: one thread accepting connections, and workers that run client
 * connections, their upstream connections and the health probes. Managed first, so they stop last.
 */
public final class NettyLoops implements Managed {
  private final EventLoopGroup acceptor;
  private final EventLoopGroup workers;

  /**
   * @param workerThreads 0 for Netty's default (twice the processors)
   */
  public NettyLoops(int workerThreads) {
    this.acceptor = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.workers = new MultiThreadIoEventLoopGroup(workerThreads, NioIoHandler.newFactory());
  }

  public EventLoopGroup acceptor() {
    return acceptor;
  }

  public EventLoopGroup workers() {
    return workers;
  }

  @Override
  public void start() {}

  @Override
  public void stop() {
    acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
