using Google.Protobuf.Reflection;
using BusRuntime.Protos.Layotto.Runtime.V1;

namespace BusRuntime.CompatibilityTests.LayottoProtos;

/// <summary>
/// proto/layotto/ against layotto-runtime-v1.txt, the description scripts/layotto-proto-description.py writes from
/// Layotto's own .proto files: every message, field (number, label, type, map, oneof, proto3 optional, jstype), enum
/// value, rpc and streaming shape must be the same both ways, or Layotto's SDKs and generated apps would not
/// understand the sidecar. Layotto publishes no .NET package to compare with, as Dapr does.
/// </summary>
public sealed class LayottoProtoDescriptionTests
{
    [Fact]
    public void GeneratedDescriptors_DescribeLayottosApiExactly()
    {
        var expected = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "LayottoProtos", "layotto-runtime-v1.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();
        var ours = Describe(RuntimeReflection.Descriptor, AppcallbackReflection.Descriptor);

        var missing = expected.Except(ours, StringComparer.Ordinal).ToList();
        var extra = ours.Except(expected, StringComparer.Ordinal).ToList();

        Assert.True(expected.Count > 300, $"the description has only {expected.Count} lines");
        Assert.True(
            missing.Count == 0 && extra.Count == 0,
            $"Layotto's, not ours:\n{string.Join('\n', missing)}\nours, not Layotto's:\n{string.Join('\n', extra)}");
    }

    [Fact]
    public void Describe_AFieldNumberDiffers_TheLineDiffers()
    {
        var field = RuntimeReflection.Descriptor.FindTypeByName<MessageDescriptor>("StateOptions").FindFieldByName("consistency");
        var proto = field.ToProto();
        var line = FieldLine("spec.proto.runtime.v1.StateOptions", proto, [], []);
        proto.Number = 3;

        Assert.NotEqual(line, FieldLine("spec.proto.runtime.v1.StateOptions", proto, [], []));
    }

    /// <summary>The same lines the script writes, from the descriptors generated into BusRuntime.Protos.</summary>
    private static List<string> Describe(params FileDescriptor[] files)
    {
        var lines = new List<string>();
        foreach (var file in files.Select(file => file.ToProto()))
        {
            foreach (var message in file.MessageType)
            {
                DescribeMessage(message, file.Package, lines);
            }

            foreach (var type in file.EnumType)
            {
                DescribeEnum(type, file.Package, lines);
            }

            foreach (var service in file.Service)
            {
                var name = $"{file.Package}.{service.Name}";
                lines.Add($"service {name}");
                lines.AddRange(service.Method.Select(method =>
                    $"rpc {name}.{method.Name} {method.InputType.TrimStart('.')} {method.OutputType.TrimStart('.')} "
                    + $"client_streaming={Flag(method.ClientStreaming)} server_streaming={Flag(method.ServerStreaming)}"));
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static void DescribeMessage(DescriptorProto message, string scope, List<string> lines)
    {
        var name = $"{scope}.{message.Name}";
        var entries = message.NestedType
            .Where(nested => nested.Options?.MapEntry == true)
            .ToDictionary(nested => $"{name}.{nested.Name}", StringComparer.Ordinal);
        var oneofs = message.OneofDecl.Select(oneof => oneof.Name).ToList();
        lines.Add($"message {name}");
        lines.AddRange(message.Field.Select(field => FieldLine(name, field, entries, oneofs)));
        foreach (var type in message.EnumType)
        {
            DescribeEnum(type, name, lines);
        }

        foreach (var nested in message.NestedType.Where(nested => !entries.ContainsKey($"{name}.{nested.Name}")))
        {
            DescribeMessage(nested, name, lines);
        }
    }

    private static string FieldLine(string message, FieldDescriptorProto field, Dictionary<string, DescriptorProto> entries, List<string> oneofs)
    {
        var parts = new List<string> { "field", $"{message}.{field.Name}", field.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (entries.TryGetValue(field.TypeName.TrimStart('.'), out var entry))
        {
            parts.Add($"map<{FieldType(entry.Field[0])},{FieldType(entry.Field[1])}>");
        }
        else
        {
            parts.Add(ProtoName(field.Label));
            parts.Add(FieldType(field));
        }

        if (field.HasOneofIndex)
        {
            parts.Add($"oneof={oneofs[field.OneofIndex]}");
        }

        if (field.Proto3Optional)
        {
            parts.Add("proto3_optional");
        }

        if (field.Options?.HasJstype == true)
        {
            parts.Add($"jstype={ProtoName(field.Options.Jstype)}");
        }

        return string.Join(' ', parts);
    }

    private static void DescribeEnum(EnumDescriptorProto type, string scope, List<string> lines)
    {
        var name = $"{scope}.{type.Name}";
        lines.Add($"enum {name}");
        lines.AddRange(type.Value.Select(value => $"value {name}.{value.Name} {value.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    private static string FieldType(FieldDescriptorProto field) =>
        ProtoName(field.Type) + (field.TypeName.Length > 0 ? $":{field.TypeName.TrimStart('.')}" : string.Empty);

    /// <summary>An enum value as protoc prints it (TYPE_STRING, LABEL_OPTIONAL, JS_STRING), from its C# name.</summary>
    private static string ProtoName<T>(T value)
        where T : struct, Enum =>
        typeof(T).GetField(value.ToString())!.GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
            .Cast<Google.Protobuf.Reflection.OriginalNameAttribute>().Single().Name;

    private static string Flag(bool value) => value ? "true" : "false";
}
