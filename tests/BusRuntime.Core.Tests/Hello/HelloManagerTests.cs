using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Hello;
using BusRuntime.Core.Stores;

namespace BusRuntime.Core.Tests.Hello;

public sealed class HelloManagerTests
{
    [Theory]
    [InlineData(null, "", "greeting")]
    [InlineData(null, "eva", "greeting, eva")]
    [InlineData("hi there", "eva", "hi there, eva")]
    public async Task SayHelloAsync_Component_AnswersItsGreetingAsLayottosHelloworld(string? greeting, string name, string expected)
    {
        var hello = Manager(greeting);

        Assert.Equal(expected, await hello.SayHelloAsync("quick_start_demo", name, CancellationToken.None));
    }

    [Fact]
    public async Task SayHelloAsync_UnknownServiceName_IsComponentNotFound()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Manager(null).SayHelloAsync("helloworld", "eva", CancellationToken.None));

        Assert.Equal(ErrorCode.ComponentNotFound, refused.Code);
        Assert.Equal("service_name 'helloworld' is not a configured hello component; configured: quick_start_demo.", refused.Message);
    }

    [Fact]
    public async Task SayHelloAsync_EmptyServiceName_IsInvalidArgument()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Manager(null).SayHelloAsync("", "eva", CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
    }

    [Fact]
    public async Task SayHelloAsync_NameOverTheBound_IsInvalidArgument()
    {
        var refused = await Assert.ThrowsAsync<RuntimeException>(() => Manager(null).SayHelloAsync("quick_start_demo", new string('a', HelloManager.MaxNameChars + 1), CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
    }

    private static HelloManager Manager(string? greeting)
    {
        var component = new ComponentOptions { Name = "quick_start_demo", Type = ComponentTypes.HelloWorld };
        if (greeting is not null)
        {
            component.Metadata[HelloWorld.GreetingKey] = greeting;
        }

        return new HelloManager(new NamedStores<IHelloService>(
            ComponentKind.Hello, [component], [new StoreFactory<IHelloService>(ComponentTypes.HelloWorld, HelloWorld.Create)], "shop"));
    }
}
