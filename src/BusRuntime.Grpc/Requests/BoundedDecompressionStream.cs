using Grpc.Core;

namespace BusRuntime.Grpc.Requests;

/// <summary>Reads a decompression stream up to <paramref name="maxBytes"/>; see <see cref="BoundedDecompression"/>.</summary>
internal sealed class BoundedDecompressionStream(Stream inner, int maxBytes, string encoding) : Stream
{
    private long read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int count;
        try
        {
            count = inner.Read(buffer);
        }
        catch (InvalidDataException exception)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"a request message is not valid {encoding}: {exception.Message}"));
        }

        read += count;
        return read <= maxBytes
            ? count
            : throw new RpcException(new Status(StatusCode.ResourceExhausted, $"a request message decompresses to more than {maxBytes} bytes, the most this sidecar receives."));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
