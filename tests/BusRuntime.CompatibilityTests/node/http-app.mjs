// An HTTP app: the Dapr Node.js SDK's DaprServer on HTTP (Express), as daprd runs it with --app-protocol http.
// Env: APP_PORT (where it listens), DAPR_HTTP_PORT (its sidecar), PUBSUB, TOPIC.
// Prints one JSON line per event it receives and per call it serves; runs until it is stopped.
import { CommunicationProtocolEnum, DaprServer, HttpMethod } from "@dapr/dapr";

const server = new DaprServer({
  serverHost: "127.0.0.1",
  serverPort: process.env.APP_PORT,
  communicationProtocol: CommunicationProtocolEnum.HTTP,
  clientOptions: { daprHost: "127.0.0.1", daprPort: process.env.DAPR_HTTP_PORT },
});

await server.pubsub.subscribe(process.env.PUBSUB ?? "pubsub", process.env.TOPIC, async (data) => {
  console.log(JSON.stringify({ received: data }));
});

await server.invoker.listen("greet", async ({ query }) => {
  console.log(JSON.stringify({ invoked: query }));
  // The SDK passes the request's path and query string as "query".
  return { greeting: `hello ${new URL(query, "http://app").searchParams.get("name")}` };
}, { method: HttpMethod.GET });

await server.start();
console.log(JSON.stringify({ started: true }));
