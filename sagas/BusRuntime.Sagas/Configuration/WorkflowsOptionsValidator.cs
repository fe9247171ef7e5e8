using BusRuntime.Core.Configuration;
using Microsoft.Extensions.Options;

namespace BusRuntime.Sagas.Configuration;

/// <summary>Checks every named workflow at start-up, naming each bad key in full.</summary>
public sealed class WorkflowsOptionsValidator : IValidateOptions<WorkflowsOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (workflowName, definition) in options.Workflows)
        {
            var key = $"{WorkflowsOptions.SectionName}:{nameof(WorkflowsOptions.Workflows)}:{workflowName}";
            if (!Names.IsValidComponentName(workflowName))
            {
                failures.Add($"{key}: '{workflowName}' is not a workflow name; names match {Names.ComponentNamePattern}.");
            }

            if (definition?.Steps is not { Count: > 0 } steps)
            {
                failures.Add($"{key}:Steps is empty; a workflow needs at least one step (AppId, Method, optional Data and CompensationMethod).");
                continue;
            }

            for (var index = 0; index < steps.Count; index++)
            {
                var step = steps[index];
                var stepKey = $"{key}:Steps:{index}";
                if (step is null || string.IsNullOrEmpty(step.AppId))
                {
                    failures.Add($"{stepKey}:AppId is empty; name the app the step invokes.");
                }
                else if (!Names.IsValidAppId(step.AppId))
                {
                    failures.Add($"{stepKey}:AppId '{step.AppId}' must match {Names.AppIdPattern}.");
                }

                if (step is null || string.IsNullOrEmpty(step.Method))
                {
                    failures.Add($"{stepKey}:Method is empty; name the method the step invokes.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
