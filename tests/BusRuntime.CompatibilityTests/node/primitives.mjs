// Reads a secret (one and in bulk), takes and releases a lock, sends to an output binding and finally shuts the
// sidecar down, through the Dapr Node.js SDK's HTTP client, as an app would. Env: DAPR_HTTP_PORT (the SDK reads it),
// SECRET (a variable the envsecrets store reads), RESOURCE (the lock's resource id), BINDING. Prints one JSON line.
import { CommunicationProtocolEnum, DaprClient } from "@dapr/dapr";

const client = new DaprClient({ communicationProtocol: CommunicationProtocolEnum.HTTP });
const secretName = process.env.SECRET;
const resource = process.env.RESOURCE;

const secret = await client.secret.get("envsecrets", secretName);
const bulk = await client.secret.getBulk("envsecrets");
const first = await client.lock.lock("lockstore", resource, "node-a", 60);
const second = await client.lock.lock("lockstore", resource, "node-b", 60);
const byOther = await client.lock.unlock("lockstore", resource, "node-b");
const byOwner = await client.lock.unlock("lockstore", resource, "node-a");
const binding = await client.binding.send(process.env.BINDING, "post", { n: 1 }, { path: "/node" });
await client.sidecar.shutdown();

console.log(JSON.stringify({
  secret: secret[secretName],
  bulkHasSecret: bulk[secretName]?.[secretName] === secret[secretName],
  first: first.success,
  second: second.success,
  byOther: byOther.status,
  byOwner: byOwner.status,
  binding,
}));
