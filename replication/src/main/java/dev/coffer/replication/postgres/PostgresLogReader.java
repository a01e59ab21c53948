package dev.coffer.replication.postgres;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEventCodec;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.storage.ReplicationLogReader;
import java.util.List;

/**
 * Reads a shard's log of secret events; {@link HorizonLogReader} has how, and why it never skips an
 * event.
 */
public final class PostgresLogReader implements ReplicationLogReader {
  private final HorizonLogReader<PositionedEvent> reads;

  public PostgresLogReader(ShardDatabase database) {
    this.reads =
        new HorizonLogReader<>(
            database.log(),
            (position, payload, appendedAt) ->
                new PositionedEvent(position, ReplicationEventCodec.decode(payload), appendedAt));
  }

  @Override
  public List<PositionedEvent> readAfter(LogPosition after, int max) {
    return read(after, max).events();
  }

  @Override
  public Read<PositionedEvent> read(LogPosition after, int max) {
    return reads.read(after, max);
  }

  /**
   * Reads that found events held back behind the server's oldest transaction id and looked again
   * with the log writers' own horizon.
   */
  public long writersHorizonReads() {
    return reads.writersHorizonReads();
  }

  /** The newest position in the log that readers may consume (for lag and health reporting). */
  public LogPosition readablePosition() {
    return reads.readablePosition();
  }
}
