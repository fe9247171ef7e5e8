using BusRuntime.Core.Sequences;
using BusRuntime.Protos.V1;
using Grpc.Core;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;

namespace BusRuntime.Grpc.Sequences;

/// <summary>Sequences on every gRPC API that has them (busruntime.v1, Layotto's): each call mapped onto <see cref="Sequencer"/>.</summary>
public sealed class SequenceRpcs(Sequencer sequencer)
{
    public async Task<GetNextIdResponse> GetNextId(GetNextIdRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var increment = request.Options?.Increment == SequencerOptions.Types.AutoIncrement.Strong ? SequenceIncrement.Strong : SequenceIncrement.Weak;
        var nextId = await sequencer.GetNextIdAsync(request.StoreName, request.Key, increment, context.CancellationToken).ConfigureAwait(false);
        return new GetNextIdResponse { NextId = nextId };
    }

    public async Task<LayottoV1.GetNextIdResponse> GetNextId(LayottoV1.GetNextIdRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var increment = request.Options?.Increment == LayottoV1.SequencerOptions.Types.AutoIncrement.Strong ? SequenceIncrement.Strong : SequenceIncrement.Weak;
        var nextId = await sequencer.GetNextIdAsync(request.StoreName, request.Key, increment, context.CancellationToken).ConfigureAwait(false);
        return new LayottoV1.GetNextIdResponse { NextId = nextId };
    }
}
