using System.Buffers;
using System.Runtime.CompilerServices;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Files;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LayottoV1 = BusRuntime.Protos.Layotto.Runtime.V1;

namespace BusRuntime.Grpc.Files;

/// <summary>
/// Files on every gRPC API that has them (Layotto's): each call mapped onto <see cref="FileManager"/>. Content streams
/// both ways in chunks, so a file is never held in memory whole.
/// </summary>
public sealed class FileRpcs(FileManager files)
{
    /// <summary>The content a GetFile response carries at most.</summary>
    public const int ChunkBytes = 64 * 1024;

    private static readonly Empty Done = new();

    public async Task GetFile(LayottoV1.GetFileRequest request, IServerStreamWriter<LayottoV1.GetFileResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;
        var content = await files.OpenReadAsync(request.StoreName, request.Name, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
            try
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, ChunkBytes), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await responseStream.WriteAsync(new LayottoV1.GetFileResponse { Data = ByteString.CopyFrom(buffer, 0, read) }, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The first request names the store, the file and its metadata; every request's data is the next chunk.</summary>
    public async Task<Empty> PutFile(IAsyncStreamReader<LayottoV1.PutFileRequest> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            throw RuntimeException.InvalidArgument("PutFile got no request; the first names store_name and name.");
        }

        var first = requestStream.Current;
        var metadata = new Dictionary<string, string>(first.Metadata, StringComparer.Ordinal);
        await files.PutAsync(first.StoreName, first.Name, metadata, Chunks(first, requestStream, cancellationToken), cancellationToken).ConfigureAwait(false);
        return Done;
    }

    /// <summary>One page of the files under <c>request.name</c> (a directory; every file of the app when empty).</summary>
    public async Task<LayottoV1.ListFileResp> ListFile(LayottoV1.ListFileRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var file = LayottoFileMapping.Required(request.Request);
        var listing = await files.ListAsync(file.StoreName, file.Name, request.PageSize, request.Marker, context.CancellationToken).ConfigureAwait(false);
        var response = new LayottoV1.ListFileResp { Marker = listing.Marker, IsTruncated = listing.IsTruncated };
        response.Files.AddRange(listing.Files.Select(LayottoFileMapping.ToInfo));
        return response;
    }

    public async Task<Empty> DelFile(LayottoV1.DelFileRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var file = LayottoFileMapping.Required(request.Request);
        await files.DeleteAsync(file.StoreName, file.Name, context.CancellationToken).ConfigureAwait(false);
        return Done;
    }

    public async Task<LayottoV1.GetFileMetaResponse> GetFileMeta(LayottoV1.GetFileMetaRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var file = LayottoFileMapping.Required(request.Request);
        var entry = await files.GetMetaAsync(file.StoreName, file.Name, context.CancellationToken).ConfigureAwait(false);
        return LayottoFileMapping.ToMeta(entry);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks(
        LayottoV1.PutFileRequest first, IAsyncStreamReader<LayottoV1.PutFileRequest> requestStream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return first.Data.Memory;
        while (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return requestStream.Current.Data.Memory;
        }
    }
}
