// Invokes a method of another app through the Dapr Node.js SDK's HTTP client.
// Env: DAPR_HTTP_PORT, TARGET_APP_ID, METHOD. Prints the answer as one JSON line.
import { CommunicationProtocolEnum, DaprClient, HttpMethod } from "@dapr/dapr";

const client = new DaprClient({ communicationProtocol: CommunicationProtocolEnum.HTTP });
const answer = await client.invoker.invoke(process.env.TARGET_APP_ID, process.env.METHOD ?? "echo", HttpMethod.POST, { greeting: "hello from node" });
console.log(JSON.stringify({ answer }));
