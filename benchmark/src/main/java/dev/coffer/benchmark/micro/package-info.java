/**
 * JMH microbenchmarks of the data plane's hot paths: envelope encryption, a replica read with its
 * decryption, and applying a batch of replication events to RocksDB. {@link
 * dev.coffer.benchmark.micro.MicroBenchmarks} runs them.
 */
package dev.coffer.benchmark.micro;
