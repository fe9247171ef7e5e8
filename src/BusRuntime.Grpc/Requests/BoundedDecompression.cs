using System.IO.Compression;
using Grpc.Net.Compression;

namespace BusRuntime.Grpc.Requests;

/// <summary>
/// A compression provider whose decompression stops at the largest message the sidecar receives: grpc-dotnet
/// decompresses a request message whole before it checks anything, so a few kilobytes of gzip could otherwise
/// grow into gigabytes in memory. What is not the encoding it claims is INVALID_ARGUMENT.
/// </summary>
internal sealed class BoundedDecompression(ICompressionProvider inner, int maxBytes) : ICompressionProvider
{
    public string EncodingName => inner.EncodingName;

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) => inner.CreateCompressionStream(stream, compressionLevel);

    public Stream CreateDecompressionStream(Stream stream) => new BoundedDecompressionStream(inner.CreateDecompressionStream(stream), maxBytes, EncodingName);
}
