namespace BusRuntime.LoadDriver.Sidecar;

/// <summary>Finds the sidecar the driver starts when --sidecar-path names none.</summary>
public static class SidecarLocator
{
    private const string SolutionFile = "BusRuntime.sln";

    /// <summary>
    /// The Release build of src/BusRuntime.Sidecar in the repository the driver was built in (found by
    /// walking up from the driver's own output to BusRuntime.sln), so it works from any clone.
    /// </summary>
    public static string DefaultPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return Path.Combine(directory.FullName, "src", "BusRuntime.Sidecar", "bin", "Release", "net10.0", "busruntime.dll");
            }
        }

        throw new LoadDriverException($"no {SolutionFile} above {AppContext.BaseDirectory}; name the sidecar with --sidecar-path <path>/busruntime.dll.");
    }
}
