using System.CommandLine;

namespace BusRuntime.LoadDriver;

/// <summary>Range checks for the driver's whole-number options, with a message that names the option.</summary>
public static class OptionBounds
{
    public static Option<int> Bounded(this Option<int> option, int minimum, int maximum)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < minimum || value > maximum)
            {
                result.AddError($"{option.Name} must be between {minimum} and {maximum}; it is {value}.");
            }
        });
        return option;
    }
}
