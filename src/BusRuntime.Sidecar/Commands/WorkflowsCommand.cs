using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BusRuntime.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;

namespace BusRuntime.Sidecar.Commands;

/// <summary><c>busruntime workflows list|show</c>: workflow instances, through busruntime.v1.Operations.</summary>
public static class WorkflowsCommand
{
    private static readonly string[] Statuses = ["RUNNING", "COMPLETED", "FAILED", "COMPENSATING", "COMPENSATED", "COMPENSATION_FAILED", "TERMINATED"];

    public static Command Create()
    {
        var sidecar = SidecarCall.SidecarOption();
        return new Command("workflows", "Workflow instances: their status, steps and errors (docs/workflows.md).")
        {
            sidecar,
            List(sidecar),
            Show(sidecar),
        };
    }

    private static Command List(Option<Uri> sidecar)
    {
        var status = new Option<string>("--status") { Description = "Only instances with this status." };
        status.AcceptOnlyFromAmong(Statuses);
        var limit = new Option<int>("--limit") { Description = "At most this many, most recently started first (1 to 1000). Default: 100.", DefaultValueFactory = _ => 100 };
        var json = SidecarCall.JsonOption();
        var command = new Command("list", "List the workflow instances of the sidecar's app (every app's with BUSRUNTIME_OPERATOR_TOKEN), most recently started first.\n\nExamples:\n  busruntime workflows list\n  busruntime workflows list --status COMPENSATION_FAILED --json")
        {
            status, limit, json,
        };
        command.SetAction((result, cancellationToken) => SidecarCall.RunAsync(result, result.GetRequiredValue(sidecar), async (channel, console, token) =>
        {
            var response = await new Operations.OperationsClient(channel).ListWorkflowsAsync(
                new ListWorkflowsRequest { Status = result.GetValue(status) ?? "", Limit = result.GetValue(limit) },
                cancellationToken: token);
            if (result.GetValue(json))
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(response.Workflows.Select(Summary), SidecarCall.ScriptJson));
                return 0;
            }

            var table = new Table().AddColumns(new TableColumn("Started (UTC)").NoWrap(), new TableColumn("Instance id").NoWrap())
                .AddColumns("App", "Workflow", "Status", "Step", "Error");
            foreach (var workflow in response.Workflows)
            {
                table.AddRow(
                    Markup.Escape(Time(workflow.StartedAt)),
                    Markup.Escape(workflow.InstanceId),
                    Markup.Escape(workflow.StartedBy),
                    Markup.Escape(workflow.WorkflowName),
                    Status(workflow.Status),
                    $"{workflow.CurrentStep}/{workflow.Steps.Count}",
                    Markup.Escape(Error(workflow)));
            }

            console.Write(table);
            console.MarkupLine($"[grey]{response.Workflows.Count} workflow(s). Details: busruntime workflows show ID[/]");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Show(Option<Uri> sidecar)
    {
        var id = new Argument<string>("ID") { Description = "The instance id, as StartWorkflow returned it or workflows list shows it." };
        var app = new Option<string>("--app")
        {
            Description = "The app that started it (instance ids are per app). Default: the sidecar's app; another app's needs BUSRUNTIME_OPERATOR_TOKEN.",
        };
        var json = SidecarCall.JsonOption();
        var command = new Command(
            "show",
            "Show one workflow instance: its status, times, error and every step's outcome.\n\nExamples:\n  busruntime workflows show order-42\n  busruntime workflows show order-42 --app shop")
        {
            id, app, json,
        };
        command.SetAction((result, cancellationToken) => SidecarCall.RunAsync(result, result.GetRequiredValue(sidecar), async (channel, console, token) =>
        {
            var workflow = (await new Operations.OperationsClient(channel).GetWorkflowAsync(new GetWorkflowRequest { InstanceId = result.GetRequiredValue(id), AppId = result.GetValue(app) ?? "" }, cancellationToken: token)).Workflow;
            if (result.GetValue(json))
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(Google.Protobuf.JsonFormatter.Default.Format(workflow));
                return 0;
            }

            var facts = new Grid().AddColumns(2);
            facts.AddRow("[bold]Instance id[/]", Markup.Escape(workflow.InstanceId));
            facts.AddRow("[bold]Workflow[/]", Markup.Escape(workflow.WorkflowName));
            facts.AddRow("[bold]Status[/]", Status(workflow.Status));
            facts.AddRow("[bold]Started by[/]", Markup.Escape(workflow.StartedBy));
            facts.AddRow("[bold]Started (UTC)[/]", Markup.Escape(Time(workflow.StartedAt)));
            facts.AddRow("[bold]Ended (UTC)[/]", Markup.Escape(Time(workflow.EndedAt)));
            facts.AddRow("[bold]Current step[/]", $"{workflow.CurrentStep} of {workflow.Steps.Count}");
            facts.AddRow("[bold]Error[/]", Markup.Escape(Error(workflow)));
            if (workflow.CompensationError.Length > 0)
            {
                facts.AddRow("[bold]Compensation error[/]", Markup.Escape(workflow.CompensationError));
            }

            if (workflow.TerminateReason.Length > 0)
            {
                facts.AddRow("[bold]Terminate reason[/]", Markup.Escape(workflow.TerminateReason));
            }

            console.Write(facts);
            var steps = new Table().AddColumns("#", "App", "Method", "Compensation", "Status", "Output bytes", "Error");
            for (var index = 0; index < workflow.Steps.Count; index++)
            {
                var step = workflow.Steps[index];
                steps.AddRow(
                    index.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(step.AppId),
                    Markup.Escape(step.Method),
                    Markup.Escape(step.CompensationMethod),
                    Markup.Escape(StepName(step.Status)),
                    step.HasOutputSize ? step.OutputSize.ToString(CultureInfo.InvariantCulture) : "",
                    Markup.Escape(step.ErrorStatus.Length > 0 ? $"{step.ErrorStatus}: {step.ErrorMessage}" : ""));
            }

            console.Write(new Rule("Steps") { Justification = Justify.Left });
            console.Write(steps);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static object Summary(WorkflowInstance workflow) => new
    {
        workflow.InstanceId,
        workflow.StartedBy,
        workflow.WorkflowName,
        Status = Name(workflow.Status),
        workflow.CurrentStep,
        StepCount = workflow.Steps.Count,
        StartedAt = workflow.StartedAt?.ToDateTimeOffset(),
        EndedAt = workflow.EndedAt?.ToDateTimeOffset(),
        Error = Error(workflow),
    };

    private static string Error(WorkflowInstance workflow) =>
        workflow.CompensationError.Length > 0 ? workflow.CompensationError
        : workflow.Error is { } error ? $"step {error.Step} ({error.AppId}) {error.Status}: {error.Message}"
        : "";

    private static string Time(Timestamp? timestamp) =>
        timestamp is null ? "" : timestamp.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>WORKFLOW_STATUS_COMPENSATION_FAILED → COMPENSATION_FAILED.</summary>
    private static string Name(Protos.V1.WorkflowStatus status) =>
        Statuses.FirstOrDefault(name => string.Equals(name.Replace("_", "", StringComparison.Ordinal), status.ToString(), StringComparison.OrdinalIgnoreCase)) ?? "UNSPECIFIED";

    private static string StepName(WorkflowStepStatus status) => status switch
    {
        WorkflowStepStatus.Pending => "PENDING",
        WorkflowStepStatus.Completed => "COMPLETED",
        WorkflowStepStatus.Failed => "FAILED",
        WorkflowStepStatus.Compensated => "COMPENSATED",
        WorkflowStepStatus.CompensationFailed => "COMPENSATION_FAILED",
        _ => "UNSPECIFIED",
    };

    private static string Status(Protos.V1.WorkflowStatus status)
    {
        var name = Name(status);
        var color = status switch
        {
            Protos.V1.WorkflowStatus.Completed => "green",
            Protos.V1.WorkflowStatus.Running or Protos.V1.WorkflowStatus.Compensating => "blue",
            Protos.V1.WorkflowStatus.Compensated or Protos.V1.WorkflowStatus.Terminated => "yellow",
            _ => "red",
        };
        return $"[{color}]{name}[/]";
    }
}
