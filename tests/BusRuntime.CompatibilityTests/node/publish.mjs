// Publishes one event, then two in bulk, through the Dapr Node.js SDK's HTTP client. Env: DAPR_HTTP_PORT, PUBSUB, TOPIC.
import { CommunicationProtocolEnum, DaprClient } from "@dapr/dapr";

const client = new DaprClient({ communicationProtocol: CommunicationProtocolEnum.HTTP });
const result = await client.pubsub.publish(process.env.PUBSUB ?? "pubsub", process.env.TOPIC, { orderId: 42, from: "node" }, {
  metadata: { priority: "high" },
});
if (result.error) {
  throw new Error(`publish failed: ${result.error}`);
}

const bulk = await client.pubsub.publishBulk(process.env.PUBSUB ?? "pubsub", process.env.TOPIC, [{ orderId: 43 }, "plain text"]);

console.log(JSON.stringify({ published: true, bulkFailed: bulk.failedMessages.length }));
