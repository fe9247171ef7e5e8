// A subscriber app: the Dapr Node.js SDK's DaprServer on gRPC (the sidecar calls it through Dapr's
// AppCallback). Env: APP_PORT (where it listens), DAPR_GRPC_PORT (its sidecar), PUBSUB, TOPIC.
// Prints one JSON line per event it receives and exits after the first.
import { CommunicationProtocolEnum, DaprServer } from "@dapr/dapr";

const server = new DaprServer({
  serverHost: "127.0.0.1",
  serverPort: process.env.APP_PORT,
  communicationProtocol: CommunicationProtocolEnum.GRPC,
  clientOptions: { daprHost: "127.0.0.1", daprPort: process.env.DAPR_GRPC_PORT },
});

await server.pubsub.subscribe(process.env.PUBSUB ?? "pubsub", process.env.TOPIC, async (data) => {
  console.log(JSON.stringify({ received: data }));
  // Exit once the answer (SUCCESS) is on its way back to the sidecar.
  setTimeout(() => process.exit(0), 200);
});

await server.start();
console.log(JSON.stringify({ started: true }));
