import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import { stringify } from "yaml";
import { electionNames } from "../../schemas/election/names.js";
import type { Election } from "../../schemas/generated/election.js";
import type { PlatformConfig } from "../config.js";
import { imageRef } from "../images.js";
import { electionObjectNames, flink, labels, services } from "../names.js";
import { FlinkJob } from "./flink-job.js";
import { KafkaTopics } from "./kafka-topics.js";
import { KafkaUsers } from "./kafka-users.js";
import { meta } from "./meta.js";
import { RegistrationJob } from "./registration-job.js";
import { VotingDeployment } from "./voting-deployment.js";

export interface ElectionWorkloadsProps {
  readonly config: PlatformConfig;
  /** A validated Election document. */
  readonly election: Election;
  /** The Flink release of the image (FLINK_VERSION). */
  readonly flinkVersion: string;
  /** File names of the SQL scripts, in the order the tally job runs them. */
  readonly sqlScripts: readonly string[];
}

/**
 * Everything one election adds to a platform, named after it: its topics, its Kafka principals, its
 * document as a ConfigMap, its registration Job, its voting Deployment and its tally job. Removing
 * these (and what setup made: its schema and subjects) removes the election and nothing else.
 */
export class ElectionWorkloads extends Construct {
  constructor(scope: Construct, id: string, props: ElectionWorkloadsProps) {
    super(scope, id);
    const { config } = props;
    const election = props.election.metadata.name;
    const names = electionNames(election);
    const objects = electionObjectNames(election);
    new KafkaTopics(this, "topics", {
      election,
      topics: Object.values(names.topics),
      replication: config.kafka.replication,
      minInsyncReplicas: config.kafka.minInsyncReplicas,
    });
    new KafkaUsers(this, "users", { names, users: objects.kafkaUsers });
    new k8s.KubeConfigMap(this, "document", {
      metadata: meta(objects.configMap, "services", { [labels.instance]: election }),
      data: { [services.electionKey]: stringify(props.election) },
    });
    const servicesPod = {
      election,
      image: imageRef(config.images, services.image),
      imagePullPolicy: config.images.pullPolicy,
      setupResources: config.setup.resources,
    };
    new RegistrationJob(this, "registration", { ...servicesPod, resources: config.registration.resources });
    new VotingDeployment(this, "voting", {
      ...servicesPod,
      replicas: config.voting.replicas,
      resources: config.voting.resources,
      disruptionBudget: config.disruptionBudgets,
    });
    new FlinkJob(this, "tally", {
      ...config.flink,
      election,
      image: imageRef(config.images, flink.image),
      imagePullPolicy: config.images.pullPolicy,
      flinkVersion: props.flinkVersion,
      sqlScripts: props.sqlScripts,
    });
  }
}
