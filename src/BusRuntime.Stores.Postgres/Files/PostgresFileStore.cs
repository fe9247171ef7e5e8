using System.Buffers;
using System.Text.Json;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Files;
using Npgsql;
using NpgsqlTypes;

namespace BusRuntime.Stores.Postgres.Files;

/// <summary>
/// file.postgresql: a file is a row of <c>files</c> (its size, time, metadata and generation) and its content rows of
/// <c>file_chunks</c>, at most <c>chunkBytes</c> each. A put writes its chunks as they arrive, in one transaction that
/// then points the file's row at the new generation and deletes the old one's chunks: readers see the old file or the
/// new one, never a mix, and a put that fails leaves nothing behind. A read fetches one chunk per statement on a pooled
/// connection, so a slow reader holds no connection; if the file is replaced meanwhile, the read fails ABORTED.
/// </summary>
internal sealed class PostgresFileStore(PostgresDatabase database, string name, int chunkBytes) : IFileStore
{
    /// <summary>The rows' size unless the component's chunkBytes says otherwise: large enough for few rows, small enough to stay off the heap's large-object churn in a pool.</summary>
    public const int DefaultChunkBytes = 1024 * 1024;

    private readonly string component = $"the file store '{name}'";

    private int ChunkBytes => chunkBytes;

    // $1 store, $2 path.
    private readonly string lockFile = $"SELECT generation FROM {database.Schema}.files WHERE store = $1 AND path = $2 FOR UPDATE";

    // $1 store, $2 path, $3 generation, $4 chunk, $5 data.
    private readonly string insertChunk = $"INSERT INTO {database.Schema}.file_chunks (store, path, generation, chunk, data) VALUES ($1, $2, $3, $4, $5)";

    // $1 store, $2 path, $3 generation, $4 size, $5 metadata.
    private readonly string upsertFile = $"""
        INSERT INTO {database.Schema}.files (store, path, generation, size, metadata, last_modified)
        VALUES ($1, $2, $3, $4, $5::jsonb, now())
        ON CONFLICT (store, path) DO UPDATE SET generation = excluded.generation, size = excluded.size, metadata = excluded.metadata, last_modified = excluded.last_modified
        """;

    // $1 store, $2 path, $3 the generation to keep (none to delete the file's every chunk).
    private readonly string deleteChunks = $"DELETE FROM {database.Schema}.file_chunks WHERE store = $1 AND path = $2 AND generation IS DISTINCT FROM $3";

    private readonly string selectFile = $"SELECT path, size, last_modified, metadata, generation FROM {database.Schema}.files WHERE store = $1 AND path = $2";

    // $1 store, $2 path, $3 generation, $4 chunk.
    private readonly string selectChunk = $"SELECT data FROM {database.Schema}.file_chunks WHERE store = $1 AND path = $2 AND generation = $3 AND chunk = $4";

    private readonly string deleteFile = $"DELETE FROM {database.Schema}.files WHERE store = $1 AND path = $2 RETURNING generation";

    // $1 store, $2 prefix, $3 after, $4 limit. "C" ordering, the paths' collation: the order of the markers.
    private readonly string list = $"""
        SELECT path, size, last_modified, metadata FROM {database.Schema}.files
        WHERE store = $1 AND starts_with(path, $2) AND path > $3
        ORDER BY path LIMIT $4
        """;

    public async Task PutAsync(string path, IAsyncEnumerable<ReadOnlyMemory<byte>> content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        // Not RunAsync: content is read once, so the work cannot run again after a deadlock.
        await database.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var generation = Guid.CreateVersion7();
        var buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
        try
        {
            var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var insert = new NpgsqlCommand(insertChunk, connection, transaction)
                    {
                        Parameters =
                        {
                            new NpgsqlParameter<string> { TypedValue = name },
                            new NpgsqlParameter<string> { TypedValue = path },
                            new NpgsqlParameter<Guid> { TypedValue = generation },
                            new NpgsqlParameter<int>(),
                            new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea },
                        },
                    };
                    await using (insert.ConfigureAwait(false))
                    {
                        long size = 0;
                        var chunk = 0;
                        var filled = 0;
                        await foreach (var piece in content.WithCancellation(cancellationToken).ConfigureAwait(false))
                        {
                            var rest = piece;
                            while (rest.Length > 0)
                            {
                                var taken = Math.Min(rest.Length, chunkBytes - filled);
                                rest.Span[..taken].CopyTo(buffer.AsSpan(filled));
                                filled += taken;
                                rest = rest[taken..];
                                if (filled == chunkBytes)
                                {
                                    await InsertChunkAsync(insert, chunk++, buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                                    size += filled;
                                    filled = 0;
                                }
                            }
                        }

                        if (filled > 0)
                        {
                            await InsertChunkAsync(insert, chunk, buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                            size += filled;
                        }

                        await ExecuteAsync(lockFile, connection, transaction, cancellationToken, name, path).ConfigureAwait(false);
                        await ExecuteAsync(upsertFile, connection, transaction, cancellationToken, name, path, generation, size, JsonSerializer.Serialize(metadata)).ConfigureAwait(false);
                        await ExecuteAsync(deleteChunks, connection, transaction, cancellationToken, name, path, generation).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (NpgsqlException exception)
        {
            throw database.Translate(component, exception, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var file = await ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
        return file is null ? null : new ChunkStream(this, path, file.Value.Generation, file.Value.Entry.Size);
    }

    public async Task<FileEntry?> GetInfoAsync(string path, CancellationToken cancellationToken) =>
        (await ReadFileAsync(path, cancellationToken).ConfigureAwait(false))?.Entry;

    public Task<IReadOnlyList<FileEntry>> ListAsync(string prefix, string? after, int limit, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<FileEntry>>(
            component,
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(list, connection)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = name },
                        new NpgsqlParameter<string> { TypedValue = prefix },
                        new NpgsqlParameter<string> { TypedValue = after ?? "" },
                        new NpgsqlParameter<int> { TypedValue = limit },
                    },
                };
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var entries = new List<FileEntry>();
                        while (await reader.ReadAsync(token).ConfigureAwait(false))
                        {
                            entries.Add(EntryOf(reader));
                        }

                        return entries;
                    }
                }
            },
            cancellationToken);

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) =>
        database.RunAsync(
            component,
            async (connection, token) =>
            {
                var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var deleted = await ExecuteAsync(deleteFile, connection, transaction, token, name, path).ConfigureAwait(false);
                    if (deleted)
                    {
                        await ExecuteAsync(deleteChunks, connection, transaction, token, name, path, (Guid?)null).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(token).ConfigureAwait(false);
                    return deleted;
                }
            },
            cancellationToken);

    /// <summary>Copies chunk <paramref name="chunk"/> of a generation into <paramref name="buffer"/>; its length, or -1 when the generation is gone.</summary>
    private Task<int> ReadChunkAsync(string path, Guid generation, int chunk, byte[] buffer, CancellationToken cancellationToken) =>
        database.RunAsync(
            component,
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(selectChunk, connection)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string> { TypedValue = name },
                        new NpgsqlParameter<string> { TypedValue = path },
                        new NpgsqlParameter<Guid> { TypedValue = generation },
                        new NpgsqlParameter<int> { TypedValue = chunk },
                    },
                };
                await using (command.ConfigureAwait(false))
                {
                    // Sequential access streams the column into the caller's buffer: no array per chunk.
                    var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (!await reader.ReadAsync(token).ConfigureAwait(false))
                        {
                            return -1;
                        }

                        var column = await reader.GetStreamAsync(0, token).ConfigureAwait(false);
                        await using (column.ConfigureAwait(false))
                        {
                            var length = 0;
                            int read;
                            while (length < buffer.Length && (read = await column.ReadAsync(buffer.AsMemory(length), token).ConfigureAwait(false)) > 0)
                            {
                                length += read;
                            }

                            return length;
                        }
                    }
                }
            },
            cancellationToken);

    private Task<(FileEntry Entry, Guid Generation)?> ReadFileAsync(string path, CancellationToken cancellationToken) =>
        database.RunAsync<(FileEntry, Guid)?>(
            component,
            async (connection, token) =>
            {
                var command = new NpgsqlCommand(selectFile, connection)
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = name }, new NpgsqlParameter<string> { TypedValue = path } },
                };
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        return await reader.ReadAsync(token).ConfigureAwait(false) ? (EntryOf(reader), reader.GetGuid(4)) : null;
                    }
                }
            },
            cancellationToken);

    private static FileEntry EntryOf(NpgsqlDataReader reader) =>
        new(
            reader.GetString(0),
            reader.GetInt64(1),
            reader.GetFieldValue<DateTimeOffset>(2),
            JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3)) ?? []);

    private static async Task InsertChunkAsync(NpgsqlCommand insert, int chunk, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ((NpgsqlParameter<int>)insert.Parameters[3]).TypedValue = chunk;
        ((NpgsqlParameter<ReadOnlyMemory<byte>>)insert.Parameters[4]).TypedValue = data;
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a statement of positional parameters; whether it touched (or returned) a row.</summary>
    private static async Task<bool> ExecuteAsync(string sql, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            foreach (var value in values)
            {
                command.Parameters.Add(value switch
                {
                    null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
                    _ => new NpgsqlParameter { Value = value },
                });
            }

            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return reader.RecordsAffected > 0 || await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A file's content, read one chunk at a time into one pooled buffer as the caller asks for it. Read only; the
    /// generation it reads is the one the file had when it was opened.
    /// </summary>
    private sealed class ChunkStream(PostgresFileStore store, string path, Guid generation, long size) : Stream
    {
        private byte[]? buffer;
        private int chunk;
        private int offset;
        private int length;
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => size;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            if (destination.IsEmpty || position >= size)
            {
                return 0;
            }

            if (offset == length)
            {
                buffer ??= ArrayPool<byte>.Shared.Rent(store.ChunkBytes);
                length = await store.ReadChunkAsync(path, generation, chunk, buffer, cancellationToken).ConfigureAwait(false);
                if (length <= 0)
                {
                    throw RuntimeException.Aborted($"file {Quoted.Of(path)} was replaced or deleted while it was read; read it again.");
                }

                chunk++;
                offset = 0;
            }

            var copied = Math.Min(destination.Length, length - offset);
            buffer!.AsMemory(offset, copied).CopyTo(destination);
            offset += copied;
            position += copied;
            return copied;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = null;
            }

            base.Dispose(disposing);
        }
    }
}
