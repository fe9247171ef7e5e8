using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.Core;

namespace BusRuntime.Grpc.Requests;

/// <summary>
/// Reads a gRPC request body and checks each message's 5-byte prefix as it goes by: a compressed flag other than
/// 0 or 1, or a length of 2 GiB or more, is INVALID_ARGUMENT. grpc-dotnet throws an InvalidDataException or an
/// IOException for these, which it answers as UNKNOWN and logs as an error.
/// </summary>
internal sealed class GrpcFrameCheckingReader(PipeReader inner, string method) : PipeReader
{
    private const int PrefixSize = 5;

    // Where the next message's prefix starts, counted from the first byte not yet consumed.
    private long nextPrefix;
    private ReadOnlySequence<byte> lastRead;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        Check(result.Buffer);
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Check(result.Buffer);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        nextPrefix -= lastRead.Slice(lastRead.Start, consumed).Length;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    private void Check(ReadOnlySequence<byte> buffer)
    {
        lastRead = buffer;
        Span<byte> prefix = stackalloc byte[PrefixSize];
        while (nextPrefix >= 0 && nextPrefix + PrefixSize <= buffer.Length)
        {
            buffer.Slice(nextPrefix, PrefixSize).CopyTo(prefix);
            if (prefix[0] > 1)
            {
                throw Invalid($"its compressed flag is {prefix[0]}; it must be 0 or 1");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
            if (length > int.MaxValue)
            {
                throw Invalid($"its length prefix says {length} bytes, over any message this sidecar receives");
            }

            nextPrefix += PrefixSize + length;
        }
    }

    private RpcException Invalid(string reason) =>
        new(new Status(StatusCode.InvalidArgument, $"a request message of {method} is not a gRPC message: {reason}."));
}
