using System.Text.RegularExpressions;
using BusRuntime.Contracts;
using BusRuntime.Transport.RabbitMq;

namespace BusRuntime.Transport.Tests.RabbitMq;

/// <summary>
/// What each pattern of an app's restricted broker user matches (RabbitMQ takes them as PCRE; these use no construct
/// .NET reads otherwise). The integration tests run sidecars with them (RestrictedBrokerUserTests).
/// </summary>
public sealed class RabbitMqPermissionsTests
{
    private static readonly RabbitMqPermissions Shop = RabbitMqPermissions.For("shop");

    private static bool Matches(string pattern, string name) => Regex.IsMatch(name, pattern);

    [Theory]
    [InlineData("busruntime.app.shop.pubsub.orders")]
    [InlineData("busruntime.app.shop.pubsub.orders_error")]
    [InlineData("busruntime.app.shop.invoke")]
    [InlineData("busruntime.app.shop.sidecar-0f8fad5bd9cb469fa16570867728950e")]
    [InlineData("busruntime.topic.pubsub.orders")]
    [InlineData("busruntime.invoke.billing")]
    [InlineData("busruntime-workflow-saga")]
    [InlineData("BusRuntime.Contracts:ConfigurationChanged")]
    [InlineData("MassTransit:Fault--BusRuntime.Sagas.Messages:StartWorkflow--")]
    public void Configure_WhatTheSidecarDeclares_Matches(string name) => Assert.True(Matches(Shop.Configure, name));

    [Theory]
    [InlineData("busruntime.app.billing.pubsub.orders")]
    [InlineData("busruntime.app.billing.invoke")]
    [InlineData("busruntime.app.shopping.invoke")]
    [InlineData("busruntime.app.shop")]
    [InlineData("vm_busruntime_bus_abc")]
    [InlineData("amq.default")]
    public void Configure_AnotherAppsOrAnythingElse_DoesNotMatch(string name) => Assert.False(Matches(Shop.Configure, name));

    [Theory]
    [InlineData("busruntime.topic.pubsub.orders", true)]
    [InlineData("busruntime.invoke.billing", true)]
    [InlineData("busruntime.app.shop.pubsub.orders", true)]
    [InlineData("amq.default", true)]
    [InlineData("busruntime.app.billing.pubsub.orders", false)]
    [InlineData("busruntime.app.billing.invoke", false)]
    public void Write_SendsAcrossAppsButNotIntoAnotherAppsOwnExchanges(string name, bool matches) => Assert.Equal(matches, Matches(Shop.Write, name));

    [Theory]
    [InlineData("busruntime.app.shop.pubsub.orders", true)]
    [InlineData("busruntime.topic.pubsub.orders", true)]
    [InlineData("busruntime.invoke.shop", true)]
    [InlineData("BusRuntime.Contracts:ConfigurationChanged", true)]
    [InlineData("busruntime-workflow-step_execute", true)]
    [InlineData("busruntime.invoke.billing", false)]
    [InlineData("busruntime.invoke.shopping", false)]
    [InlineData("busruntime.app.billing.pubsub.orders", false)]
    [InlineData("BusRuntime.Contracts:StateChanged", false)]
    public void Read_OwnQueuesTopicsAndOwnRequestsOnly(string name, bool matches) => Assert.Equal(matches, Matches(Shop.Read, name));

    [Fact]
    public void For_NamesFromTheContracts_AreTheOnesMatched()
    {
        Assert.True(Matches(Shop.Read, TopicNames.Queue("shop", "pubsub", "orders.created")));
        Assert.True(Matches(Shop.Read, InvokeNames.Queue("shop")));
        Assert.True(Matches(Shop.Read, InvokeNames.Exchange("shop")));
        Assert.True(Matches(Shop.Write, InvokeNames.Exchange("billing")));
        Assert.False(Matches(Shop.Read, InvokeNames.Queue("billing")));
    }

    [Fact]
    public void For_WorkflowQueuePrefixWithDots_IsEscaped()
    {
        var permissions = RabbitMqPermissions.For("shop", "team.workflows");

        Assert.True(Matches(permissions.Read, "team.workflows-saga"));
        Assert.False(Matches(permissions.Read, "teamxworkflows-saga"));
    }
}
