using Google.Protobuf.Reflection;
using Ours = BusRuntime.Protos.Dapr.Runtime.V1;

namespace BusRuntime.CompatibilityTests.DaprProtos;

/// <summary>
/// proto/dapr/ against the descriptors Dapr publishes in its .NET packages (Dapr.Protos, brought by Dapr.Client):
/// every rpc and every field BusRuntime declares must be Dapr's, or Dapr's SDKs and apps would not understand it.
/// </summary>
public sealed class DaprProtoDriftTests
{
    public static TheoryData<string> Services => ["Dapr", "AppCallback"];

    [Theory]
    [MemberData(nameof(Services))]
    public void DeclaredRpcs_EachIsDaprsWithTheSameTypesAndStreaming(string service)
    {
        var ours = OurService(service);
        var theirs = DaprService(service);
        var problems = new List<string>();

        Assert.Equal(theirs.FullName, ours.FullName);
        foreach (var method in ours.Methods)
        {
            var published = theirs.FindMethodByName(method.Name);
            if (published is null)
            {
                problems.Add($"{ours.FullName}.{method.Name}: Dapr's service has no such rpc");
                continue;
            }

            Compare(problems, $"{ours.FullName}.{method.Name} input", method.InputType.FullName, published.InputType.FullName);
            Compare(problems, $"{ours.FullName}.{method.Name} output", method.OutputType.FullName, published.OutputType.FullName);
            Compare(problems, $"{ours.FullName}.{method.Name} client streaming", method.IsClientStreaming, published.IsClientStreaming);
            Compare(problems, $"{ours.FullName}.{method.Name} server streaming", method.IsServerStreaming, published.IsServerStreaming);
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void MessagesOfTheDeclaredRpcs_EveryFieldAndEnumValueIsDaprs()
    {
        var (publishedMessages, publishedEnums) = Published();
        var (messages, enums) = Reachable(OurService("Dapr"), OurService("AppCallback"));
        var problems = new List<string>();

        foreach (var message in messages)
        {
            var theirs = publishedMessages.GetValueOrDefault(message.FullName);
            if (theirs is null)
            {
                problems.Add($"{message.FullName}: Dapr publishes no such message");
                continue;
            }

            foreach (var field in message.Fields.InDeclarationOrder())
            {
                CompareField(problems, field, theirs.FindFieldByName(field.Name));
            }
        }

        foreach (var type in enums)
        {
            var theirs = publishedEnums.GetValueOrDefault(type.FullName);
            if (theirs is null)
            {
                problems.Add($"{type.FullName}: Dapr publishes no such enum");
                continue;
            }

            foreach (var value in type.Values)
            {
                Compare(problems, $"{type.FullName}.{value.Name} number", value.Number, theirs.FindValueByName(value.Name)?.Number);
            }
        }

        Assert.True(messages.Count > 50, $"only {messages.Count} messages were reached from the declared rpcs");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static ServiceDescriptor OurService(string name) => name switch
    {
        "Dapr" => Ours.DaprReflection.Descriptor.FindTypeByName<ServiceDescriptor>(name),
        "AppCallback" => Ours.AppcallbackReflection.Descriptor.FindTypeByName<ServiceDescriptor>(name),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Dapr or AppCallback"),
    };

    private static ServiceDescriptor DaprService(string name) => name switch
    {
        "Dapr" => global::Dapr.Client.Autogen.Grpc.v1.DaprReflection.Descriptor.FindTypeByName<ServiceDescriptor>(name),
        "AppCallback" => global::Dapr.AppCallback.Autogen.Grpc.v1.AppcallbackReflection.Descriptor.FindTypeByName<ServiceDescriptor>(name),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Dapr or AppCallback"),
    };

    /// <summary>Every message and enum of Dapr's published files behind its Dapr and AppCallback services, by full name.</summary>
    private static (Dictionary<string, MessageDescriptor> Messages, Dictionary<string, EnumDescriptor> Enums) Published()
    {
        var messages = new Dictionary<string, MessageDescriptor>(StringComparer.Ordinal);
        var enums = new Dictionary<string, EnumDescriptor>(StringComparer.Ordinal);
        var files = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<FileDescriptor>([DaprService("Dapr").File, DaprService("AppCallback").File]);
        while (pending.TryDequeue(out var file))
        {
            if (!files.Add(file.Name))
            {
                continue;
            }

            foreach (var dependency in file.Dependencies)
            {
                pending.Enqueue(dependency);
            }

            foreach (var type in file.EnumTypes)
            {
                enums[type.FullName] = type;
            }

            var nested = new Stack<MessageDescriptor>(file.MessageTypes);
            while (nested.TryPop(out var message))
            {
                messages[message.FullName] = message;
                foreach (var type in message.EnumTypes)
                {
                    enums[type.FullName] = type;
                }

                foreach (var inner in message.NestedTypes)
                {
                    nested.Push(inner);
                }
            }
        }

        return (messages, enums);
    }

    /// <summary>The messages and enums the services' rpcs carry, following every field down to the well-known types.</summary>
    private static (List<MessageDescriptor> Messages, List<EnumDescriptor> Enums) Reachable(params ServiceDescriptor[] services)
    {
        var messages = new List<MessageDescriptor>();
        var enums = new List<EnumDescriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<MessageDescriptor>(services.SelectMany(service => service.Methods).SelectMany(method => new[] { method.InputType, method.OutputType }));
        while (pending.TryDequeue(out var message))
        {
            if (!seen.Add(message.FullName))
            {
                continue;
            }

            messages.Add(message);
            foreach (var field in message.Fields.InDeclarationOrder())
            {
                if (field.FieldType is FieldType.Message or FieldType.Group)
                {
                    pending.Enqueue(field.MessageType);
                }
                else if (field.FieldType == FieldType.Enum && seen.Add(field.EnumType.FullName))
                {
                    enums.Add(field.EnumType);
                }
            }
        }

        return (messages, enums);
    }

    private static void CompareField(List<string> problems, FieldDescriptor field, FieldDescriptor? theirs)
    {
        var name = field.FullName;
        if (theirs is null)
        {
            problems.Add($"{name}: Dapr's message has no such field");
            return;
        }

        Compare(problems, $"{name} number", field.FieldNumber, theirs.FieldNumber);
        Compare(problems, $"{name} type", field.FieldType, theirs.FieldType);
        Compare(problems, $"{name} repeated", field.IsRepeated, theirs.IsRepeated);
        Compare(problems, $"{name} map", field.IsMap, theirs.IsMap);
        Compare(problems, $"{name} optional", field.ToProto().Proto3Optional, theirs.ToProto().Proto3Optional);
        if (field.FieldType is FieldType.Message or FieldType.Group && theirs.FieldType == field.FieldType)
        {
            Compare(problems, $"{name} message type", field.MessageType.FullName, theirs.MessageType.FullName);
        }
        else if (field.FieldType == FieldType.Enum && theirs.FieldType == FieldType.Enum)
        {
            Compare(problems, $"{name} enum type", field.EnumType.FullName, theirs.EnumType.FullName);
        }
    }

    private static void Compare<T>(List<string> problems, string what, T ours, T theirs)
    {
        if (!EqualityComparer<T>.Default.Equals(ours, theirs))
        {
            problems.Add($"{what}: ours is {ours}, Dapr's is {theirs?.ToString() ?? "missing"}");
        }
    }
}
