using BusRuntime.Sagas.Persistence;
using BusRuntime.Sagas.Workflows;
using MassTransit;
using Microsoft.Extensions.Configuration;

namespace BusRuntime.Sagas;

public static class WorkflowSagaRegistration
{
    /// <summary>
    /// Registers the workflow saga with the bus when its instances live in PostgreSQL (BusRuntime:Postgres set):
    /// the project's Npgsql saga repository, in BusRuntime:PostgresSchema. With no connection string nothing is
    /// registered here and <see cref="SagasServiceCollectionExtensions.AddBusRuntimeWorkflows"/> keeps them in memory.
    /// </summary>
    public static void AddBusRuntimeWorkflowSaga(this IBusRegistrationConfigurator bus, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!UsesPostgres(configuration))
        {
            return;
        }

        var schema = configuration[PostgresSchemaKey];
        bus.AddSagaStateMachine<WorkflowStateMachine, WorkflowState>()
            .PostgresRepository(configuration[PostgresKey]!, options => options.Schema = string.IsNullOrEmpty(schema) ? options.Schema : schema);
    }

    internal const string PostgresKey = "BusRuntime:Postgres";
    internal const string PostgresSchemaKey = "BusRuntime:PostgresSchema";

    internal static bool UsesPostgres(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[PostgresKey]);
}
