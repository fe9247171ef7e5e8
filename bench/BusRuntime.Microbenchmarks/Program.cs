using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Short runs (3 warm-up and 3 measured iterations, one launch): the benchmarks share a small machine with everything else.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithId("short"))
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
