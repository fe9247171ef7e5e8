using System.Globalization;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Files;
using BusRuntime.Protos.Layotto.Runtime.V1;
using FileInfo = BusRuntime.Protos.Layotto.Runtime.V1.FileInfo;

namespace BusRuntime.Grpc.Files;

/// <summary>Maps Layotto's file messages to the files primitive's requests and its answers back; times are ISO 8601 in UTC.</summary>
public static class LayottoFileMapping
{
    public static FileRequest Required(FileRequest? request) =>
        request ?? throw RuntimeException.InvalidArgument("request is missing; it names store_name and name.");

    public static string ToWire(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static FileInfo ToInfo(FileEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var info = new FileInfo { FileName = entry.Name, Size = entry.Size, LastModified = ToWire(entry.LastModified) };
        info.Metadata.AddAll(entry.Metadata);
        return info;
    }

    public static GetFileMetaResponse ToMeta(FileEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var meta = new FileMeta();
        foreach (var (key, value) in entry.Metadata)
        {
            meta.Metadata[key] = new FileMetaValue { Value = { value } };
        }

        return new GetFileMetaResponse { Size = entry.Size, LastModified = ToWire(entry.LastModified), Response = meta };
    }
}
