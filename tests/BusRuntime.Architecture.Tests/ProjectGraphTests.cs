using BusRuntime.Testing;
using NetArchTest.Rules;

namespace BusRuntime.Architecture.Tests;

public sealed class ProjectGraphTests
{
    public static TheoryData<string> LayerNames => [.. ProjectGraph.Layers.Select(layer => layer.AssemblyName)];

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Layer_UsesOnlyTheLayersBelowIt(string assemblyName)
    {
        var layer = ProjectGraph.Layers.Single(candidate => candidate.AssemblyName == assemblyName);

        var result = Types.InAssembly(layer.Load()).ShouldNot().HaveDependencyOnAny(ProjectGraph.Forbidden(layer)).GetResult();

        Assert.True(result.IsSuccessful, $"{layer} may use only {string.Join(", ", layer.MayUse)}; these types use more: {Describe(result)}");
    }

    [Fact]
    public void Layers_ListEveryRuntimeAssemblyOfTheBuild()
    {
        var built = Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => name!.StartsWith("BusRuntime.", StringComparison.Ordinal) || name == "busruntime")
            .Where(name => !name!.EndsWith(".Tests", StringComparison.Ordinal) && name != "BusRuntime.Testing");

        Assert.Equal(built.Order(StringComparer.Ordinal), ProjectGraph.Layers.Select(layer => layer.AssemblyName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Core_UsesNoWebFrameworkWireFormatOrDriver()
    {
        var core = ProjectGraph.Layers.Single(layer => layer.AssemblyName == "BusRuntime.Core").Load();

        var result = Types.InAssembly(core).ShouldNot()
            .HaveDependencyOnAny("Microsoft.AspNetCore", "Grpc", "Google.Protobuf", "Npgsql", "RabbitMQ", "OpenTelemetry").GetResult();

        Assert.True(result.IsSuccessful, $"Core must not know the web framework, gRPC, a driver or an exporter; these types do: {Describe(result)}");
        Assert.DoesNotContain(core.GetReferencedAssemblies(), reference => reference.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void TestFixture_UsesTheHostingLibraryNotTheExecutable()
    {
        var fixture = typeof(TestSidecar).Assembly;

        var result = Types.InAssembly(fixture).ShouldNot().HaveDependencyOnAny("BusRuntime.Sidecar").GetResult();

        Assert.True(result.IsSuccessful, $"BusRuntime.Testing uses the executable: {Describe(result)}");
        Assert.DoesNotContain(fixture.GetReferencedAssemblies(), reference => reference.Name == "busruntime");
    }

    private static string Describe(TestResult result) =>
        string.Join("; ", (result.FailingTypes ?? []).Select(type => type.FullName));
}
