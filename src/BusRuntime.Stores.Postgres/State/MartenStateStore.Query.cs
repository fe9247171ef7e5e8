using System.Text;
using BusRuntime.Core.State;
using BusRuntime.Core.State.Query;
using BusRuntime.Core.Stores;

namespace BusRuntime.Stores.Postgres.State;

/// <summary>
/// State queries of the Marten store: one SELECT (<see cref="StateQuerySql"/>) over the component's live JSON
/// values, on the database's clock as every read. Rows are read as they come and the page ends at the limit or
/// before the value that would pass the byte bound.
/// </summary>
internal sealed partial class MartenStateStore
{
    public Task<StateQueryPage> QueryAsync(StateQuery query, KeyScope scope, long maxPageBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(scope);
        return RunAsync(
            async token =>
            {
                var connection = await database.OpenAsync(token).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    var command = StateQuerySql.Command(database.Schema, name, query, scope);
                    command.Connection = connection;
                    await using (command.ConfigureAwait(false))
                    {
                        var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            var page = new List<StateQueryItem>();
                            long bytes = 0;
                            while (await reader.ReadAsync(token).ConfigureAwait(false))
                            {
                                if (page.Count == query.Limit)
                                {
                                    return new StateQueryPage(page, query.Offset + page.Count);
                                }

                                var value = Encoding.UTF8.GetBytes(reader.GetString(1));
                                if (page.Count > 0 && bytes + value.Length > maxPageBytes)
                                {
                                    return new StateQueryPage(page, query.Offset + page.Count);
                                }

                                bytes += value.Length;
                                var expiresAt = await reader.GetFieldValueAsync<DateTimeOffset?>(3, token).ConfigureAwait(false);
                                page.Add(new StateQueryItem(reader.GetString(0), new StoredState(value, reader.GetInt64(2), expiresAt)));
                            }

                            return new StateQueryPage(page, null);
                        }
                    }
                }
            },
            cancellationToken);
    }
}
