// Saves, reads, bulk-reads and deletes state through the Dapr Node.js SDK's HTTP client, as an app would.
// Env: DAPR_HTTP_PORT (the SDK reads it), STORE, KEY (written, read, then deleted), PRESET_KEY (written by
// someone else, only read). Prints one JSON line with what it read; exits 1 on a failure.
import { CommunicationProtocolEnum, DaprClient } from "@dapr/dapr";

const store = process.env.STORE ?? "statestore";
const key = process.env.KEY ?? "node-order";
const client = new DaprClient({ communicationProtocol: CommunicationProtocolEnum.HTTP });

const saved = await client.state.save(store, [{ key, value: { id: 7, item: "book" } }]);
if (saved.error) {
  throw new Error(`save failed: ${saved.error}`);
}

const value = await client.state.get(store, key);
const bulk = await client.state.getBulk(store, [key, `${key}-missing`]);
await client.state.delete(store, key);
const afterDelete = await client.state.get(store, key);
const preset = process.env.PRESET_KEY ? await client.state.get(store, process.env.PRESET_KEY) : null;

console.log(JSON.stringify({ value, bulk, afterDelete, preset }));
