namespace BusRuntime.Stores.Tests.Files;

/// <summary>Content as the file API streams it: chunks of a given size, and readers back to bytes.</summary>
internal static class FileContent
{
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks(byte[] data, int chunkSize)
    {
        for (var offset = 0; offset < data.Length; offset += chunkSize)
        {
            await Task.Yield();
            yield return data.AsMemory(offset, Math.Min(chunkSize, data.Length - offset));
        }
    }

    /// <summary>Some chunks of <paramref name="data"/>, then a failure, as when the app's stream breaks.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> Failing(byte[] data, int chunkSize)
    {
        await foreach (var chunk in Chunks(data, chunkSize))
        {
            yield return chunk;
        }

        throw new IOException("the app's stream broke");
    }

    public static byte[] Bytes(int length, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            var buffer = new byte[7000];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                await copy.WriteAsync(buffer.AsMemory(0, read));
            }

            return copy.ToArray();
        }
    }
}
