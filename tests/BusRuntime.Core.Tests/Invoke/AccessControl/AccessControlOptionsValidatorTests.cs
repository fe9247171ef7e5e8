using BusRuntime.Core.Invoke.AccessControl;
using Microsoft.Extensions.Configuration;

namespace BusRuntime.Core.Tests.Invoke.AccessControl;

public sealed class AccessControlOptionsValidatorTests
{
    private static IReadOnlyList<string> Failures(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new AccessControlOptions();
        configuration.GetSection(AccessControlOptions.SectionName).Bind(options);
        var result = new AccessControlOptionsValidator(configuration).Validate(null, options);
        return result.Failures?.ToList() ?? [];
    }

    [Fact]
    public void Validate_DaprsScenario3WithoutNamespaces_Succeeds()
    {
        var failures = Failures(new()
        {
            ["BusRuntime:AccessControl:defaultAction"] = "deny",
            ["BusRuntime:AccessControl:trustDomain"] = "public",
            ["BusRuntime:AccessControl:policies:0:appId"] = "app1",
            ["BusRuntime:AccessControl:policies:0:defaultAction"] = "deny",
            ["BusRuntime:AccessControl:policies:0:trustDomain"] = "public",
            ["BusRuntime:AccessControl:policies:0:operations:0:name"] = "/op1",
            ["BusRuntime:AccessControl:policies:0:operations:0:httpVerb:0"] = "POST",
            ["BusRuntime:AccessControl:policies:0:operations:0:httpVerb:1"] = "PUT",
            ["BusRuntime:AccessControl:policies:0:operations:0:action"] = "allow",
            ["BusRuntime:AccessControl:policies:1:appId"] = "app2",
            ["BusRuntime:AccessControl:policies:1:defaultAction"] = "deny",
            ["BusRuntime:AccessControl:policies:1:operations:0:name"] = "/op2/**",
            ["BusRuntime:AccessControl:policies:1:operations:0:action"] = "allow",
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void Validate_NothingConfigured_Succeeds() => Assert.Empty(Failures([]));

    [Theory]
    [InlineData("BusRuntime:AccessControl:DefaultAcion", "deny", "BusRuntime:AccessControl:DefaultAcion is not a setting of an access control; its settings: DefaultAction, TrustDomain, Policies.")]
    [InlineData("BusRuntime:AccessControl:Policies:0:Operation:0:Name", "/op1", "BusRuntime:AccessControl:Policies:0:Operation is not a setting of an access control policy; its settings: AppId, DefaultAction, TrustDomain, Operations.")]
    [InlineData("BusRuntime:AccessControl:Policies:0:Operations:0:Verb:0", "GET", "BusRuntime:AccessControl:Policies:0:Operations:0:Verb is not a setting of an access control operation; its settings: Name, HttpVerb, Action.")]
    [InlineData("BusRuntime:AccessControl:Policies:0:Namespace", "default", "BusRuntime:AccessControl:Policies:0:Namespace is not a setting of an access control policy; its settings: AppId, DefaultAction, TrustDomain, Operations. BusRuntime has no namespaces: the caller is the app id its sidecar stamps, whatever its namespace.")]
    [InlineData("BusRuntime:AccessControl:Policies:shop:AppId", "shop", "BusRuntime:AccessControl:Policies:shop: Policies is a list (BusRuntime:AccessControl:Policies:0, BusRuntime:AccessControl:Policies:1, …); 'shop' is not an index.")]
    public void Validate_UnknownKey_FailsNamingItAndTheSettings(string key, string value, string failure)
    {
        var settings = new Dictionary<string, string?> { ["BusRuntime:AccessControl:Policies:0:AppId"] = "shop", [key] = value };

        Assert.Contains(failure, Failures(settings));
    }

    [Fact]
    public void Validate_VerbsGivenAsOneValue_FailsSayingItIsAList()
    {
        var failures = Failures(new()
        {
            ["BusRuntime:AccessControl:Policies:0:AppId"] = "shop",
            ["BusRuntime:AccessControl:Policies:0:Operations:0:Name"] = "/orders",
            ["BusRuntime:AccessControl:Policies:0:Operations:0:HttpVerb"] = "POST",
        });

        Assert.Equal(
            "BusRuntime:AccessControl:Policies:0:Operations:0:HttpVerb is a list of verbs (BusRuntime:AccessControl:Policies:0:Operations:0:HttpVerb:0, BusRuntime:AccessControl:Policies:0:Operations:0:HttpVerb:1, …), not 'POST'.",
            Assert.Single(failures));
    }

    [Theory]
    [InlineData("BusRuntime:AccessControl:DefaultAction", "block", "BusRuntime:AccessControl:DefaultAction 'block' is not one of: allow, deny.")]
    [InlineData("BusRuntime:AccessControl:Policies:0:DefaultAction", "permit", "BusRuntime:AccessControl:Policies:0:DefaultAction 'permit' is not one of: allow, deny.")]
    [InlineData("BusRuntime:AccessControl:Policies:0:Operations:0:Action", "yes", "BusRuntime:AccessControl:Policies:0:Operations:0:Action 'yes' is not one of: allow, deny.")]
    [InlineData("BusRuntime:AccessControl:Policies:0:Operations:0:HttpVerb:0", "FETCH", "BusRuntime:AccessControl:Policies:0:Operations:0:HttpVerb:0 'FETCH' is not one of: *, GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH.")]
    [InlineData("BusRuntime:AccessControl:Policies:0:Operations:0:Name", "", "BusRuntime:AccessControl:Policies:0:Operations:0:Name is empty; name the method path the operation is for (wildcards * and ** allowed).")]
    [InlineData("BusRuntime:AccessControl:Policies:0:Operations:0:Name", "/orders?id=1", "BusRuntime:AccessControl:Policies:0:Operations:0:Name '/orders?id=1' matches no method: method contains '?' at position 6; a method is a path without query or fragment.")]
    [InlineData("BusRuntime:AccessControl:Policies:0:Operations:0:Name", "/public/../admin", "BusRuntime:AccessControl:Policies:0:Operations:0:Name '/public/../admin' matches no method: methods are matched once cleaned, without empty, '.' or '..' segments.")]
    [InlineData("BusRuntime:AccessControl:Policies:0:Operations:0:Name", "/orders//7", "BusRuntime:AccessControl:Policies:0:Operations:0:Name '/orders//7' matches no method: methods are matched once cleaned, without empty, '.' or '..' segments.")]
    public void Validate_BadValue_FailsNamingTheKeyAndTheAllowedValues(string key, string value, string failure)
    {
        var settings = new Dictionary<string, string?>
        {
            ["BusRuntime:AccessControl:Policies:0:AppId"] = "shop",
            ["BusRuntime:AccessControl:Policies:0:Operations:0:Name"] = "/orders",
            [key] = value,
        };

        Assert.Equal(failure, Assert.Single(Failures(settings)));
    }

    [Theory]
    [InlineData("", "BusRuntime:AccessControl:Policies:0:AppId '' is not an app id; a policy names the calling app, and app ids match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$.")]
    [InlineData("shop.v2", "BusRuntime:AccessControl:Policies:0:AppId 'shop.v2' is not an app id; a policy names the calling app, and app ids match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$.")]
    public void Validate_PolicyWithoutAValidAppId_Fails(string appId, string failure)
    {
        var failures = Failures(new() { ["BusRuntime:AccessControl:Policies:0:AppId"] = appId, ["BusRuntime:AccessControl:Policies:0:DefaultAction"] = "allow" });

        Assert.Equal(failure, Assert.Single(failures));
    }

    [Fact]
    public void Validate_AppIdTwice_FailsNamingTheFirstPolicy()
    {
        var failures = Failures(new()
        {
            ["BusRuntime:AccessControl:Policies:0:AppId"] = "shop",
            ["BusRuntime:AccessControl:Policies:1:AppId"] = "billing",
            ["BusRuntime:AccessControl:Policies:2:AppId"] = "shop",
        });

        Assert.Equal("BusRuntime:AccessControl:Policies:2:AppId 'shop' already has the policy BusRuntime:AccessControl:Policies:0; one policy per calling app.", Assert.Single(failures));
    }

    [Theory]
    [InlineData(null, "public", true)]
    [InlineData(null, "myDomain", false)]
    [InlineData("myDomain", "myDomain", true)]
    [InlineData("myDomain", "public", false)]
    public void Validate_PolicyTrustDomain_MustBeTheDeployments(string? global, string policy, bool valid)
    {
        var settings = new Dictionary<string, string?>
        {
            ["BusRuntime:AccessControl:TrustDomain"] = global,
            ["BusRuntime:AccessControl:Policies:0:AppId"] = "shop",
            ["BusRuntime:AccessControl:Policies:0:TrustDomain"] = policy,
        };

        var failures = Failures(settings);

        Assert.Equal(valid, failures.Count == 0);
        if (!valid)
        {
            Assert.StartsWith($"BusRuntime:AccessControl:Policies:0:TrustDomain '{policy}' is not the deployment's trust domain '{global ?? "public"}'", failures[0], StringComparison.Ordinal);
        }
    }
}
