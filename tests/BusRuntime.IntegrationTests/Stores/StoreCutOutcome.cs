using Grpc.Core;

namespace BusRuntime.IntegrationTests.Stores;

/// <summary>What <see cref="StoreCut.WriteAcrossACutAsync"/> saw: the keys saved with OK, the statuses of refused saves, the read's failure while cut.</summary>
internal sealed record StoreCutOutcome(IReadOnlyCollection<string> Accepted, IReadOnlyDictionary<StatusCode, int> Refused, RpcException ReadWhileCut);
