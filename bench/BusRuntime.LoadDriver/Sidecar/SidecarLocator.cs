namespace BusRuntime.LoadDriver.Sidecar;

/// <summary>Finds the sidecar (and the stack floor) the driver starts when --sidecar-path (--floor-path) names none.</summary>
public static class SidecarLocator
{
    private const string SolutionFile = "BusRuntime.sln";

    /// <summary>
    /// The Release build of src/BusRuntime.Sidecar in the repository the driver was built in (found by
    /// walking up from the driver's own output to BusRuntime.sln), so it works from any clone.
    /// </summary>
    public static string DefaultPath() =>
        Path.Combine(Repository("--sidecar-path <path>/busruntime.dll"), "src", "BusRuntime.Sidecar", "bin", "Release", "net10.0", "busruntime.dll");

    /// <summary>The Release build of bench/BusRuntime.StackFloor in the same repository; throws, saying how to build it, when there is none.</summary>
    public static string FloorPath(string? named)
    {
        var path = named ?? Path.Combine(Repository("--floor-path <path>/busruntime-stackfloor.dll"), "bench", "BusRuntime.StackFloor", "bin", "Release", "net10.0", "busruntime-stackfloor.dll");
        return File.Exists(path)
            ? path
            : throw new LoadDriverException($"the stack floor '{path}' does not exist; build it with 'dotnet build -c Release bench/BusRuntime.StackFloor' or name it with --floor-path.");
    }

    private static string Repository(string option)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new LoadDriverException($"no {SolutionFile} above {AppContext.BaseDirectory}; name the program with {option}.");
    }
}
