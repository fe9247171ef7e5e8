using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Configuration;

/// <summary>Fails start-up on a component list that names a component twice, badly, or with an unknown type.</summary>
public sealed class ComponentsOptionsValidator : IValidateOptions<ComponentsOptions>
{
    public ValidateOptionsResult Validate(string? name, ComponentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < options.Components.Count; index++)
        {
            var component = options.Components[index];
            var key = $"BusRuntime:Components:{index}";
            if (!Names.IsValidComponentName(component.Name))
            {
                failures.Add($"{key}:Name '{component.Name}' must match {Names.ComponentNamePattern}.");
            }
            else if (!seen.Add(component.Name))
            {
                failures.Add($"{key}:Name '{component.Name}' is declared twice; component names must be unique.");
            }

            if (!ComponentTypes.All.Contains(component.Type, StringComparer.Ordinal))
            {
                failures.Add($"{key}:Type '{component.Type}' is not one of: {string.Join(", ", ComponentTypes.All)}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
