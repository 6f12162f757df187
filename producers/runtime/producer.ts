import type { ProducerConfig } from "kafkajs";
import { keyPartitioner } from "./partitioner.js";

/**
 * Every service produces idempotently: a retried send after a lost acknowledgement is written once.
 * kafkajs requires acks=-1 (set on each send) and at most one request in flight for this.
 */
export const producerConfig: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  // Murmur2 as in the Java client, so a voter id lands on the same partition whoever produces it.
  createPartitioner: keyPartitioner,
};
