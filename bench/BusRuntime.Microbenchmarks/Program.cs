using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Short runs: the benchmarks share a small machine with everything else; pass --job to BenchmarkDotNet for longer ones.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithId("short"))
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
