#!/usr/bin/env python3
"""Writes the description of Layotto's spec.proto.runtime.v1 API that
tests/BusRuntime.CompatibilityTests/LayottoProtos checks proto/layotto/ against: one line per message, field,
enum value and rpc, from Layotto's own .proto files (not ours).

Usage: scripts/layotto-proto-description.py <layotto checkout> > tests/BusRuntime.CompatibilityTests/LayottoProtos/layotto-runtime-v1.txt
It runs protoc from the Grpc.Tools package in the NuGet cache on spec/proto/runtime/v1/{runtime,appcallback}.proto
and reads protoc's text dump of the descriptors, so it needs no protobuf library. Lines starting with '#' in
the checked-in file (which commit of Layotto's it was written from) are added by hand.
"""
import glob
import os
import re
import subprocess
import sys

FILES = ["spec/proto/runtime/v1/runtime.proto", "spec/proto/runtime/v1/appcallback.proto"]


def protoc():
    tools = sorted(glob.glob(os.path.expanduser("~/.nuget/packages/grpc.tools/*/")))[-1]
    return os.path.join(tools, "tools/linux_x64/protoc"), os.path.join(tools, "build/native/include")


def dump(root):
    exe, include = protoc()
    descriptors = subprocess.run([exe, "-I" + root, "-I" + include, "--descriptor_set_out=/dev/stdout", *FILES],
                                 check=True, capture_output=True).stdout
    return subprocess.run([exe, "-I" + include, "--decode=google.protobuf.FileDescriptorSet", "google/protobuf/descriptor.proto"],
                          input=descriptors, check=True, capture_output=True).stdout.decode()


def parse(text):
    """protoc's text format as nested dicts: every key maps to a list of values (strings or dicts)."""
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|[{}]|[A-Za-z_][A-Za-z0-9_]*:?|[^\s{}]+', text)
    stack = [{}]
    key = None
    for token in tokens:
        if token == "{":
            child = {}
            stack[-1].setdefault(key, []).append(child)
            stack.append(child)
        elif token == "}":
            stack.pop()
        elif token.endswith(":") and key is None:
            key = token[:-1]
            continue
        elif key is not None and not token.endswith(":") or token.startswith('"'):
            stack[-1].setdefault(key, []).append(token.strip('"'))
        else:
            key = token
            continue
        key = None
    return stack[0]


def one(node, key, default=""):
    return node.get(key, [default])[0]


def describe_message(message, scope, lines):
    name = scope + "." + one(message, "name")
    entries = {scope_name(name, n): n for n in message.get("nested_type", []) if one(n.get("options", [{}])[0], "map_entry") == "true"}
    lines.append("message " + name)
    oneofs = [one(o, "name") for o in message.get("oneof_decl", [])]
    for field in message.get("field", []):
        parts = ["field", name + "." + one(field, "name"), one(field, "number")]
        type_name = one(field, "type_name").lstrip(".")
        if type_name in entries:
            key, value = entries[type_name]["field"]
            parts.append("map<%s,%s>" % (field_type(key), field_type(value)))
        else:
            parts.append(one(field, "label"))
            parts.append(field_type(field))
        if "oneof_index" in field:
            parts.append("oneof=" + oneofs[int(one(field, "oneof_index"))])
        if one(field, "proto3_optional") == "true":
            parts.append("proto3_optional")
        jstype = one(field.get("options", [{}])[0], "jstype")
        if jstype:
            parts.append("jstype=" + jstype)
        lines.append(" ".join(parts))
    for enum in message.get("enum_type", []):
        describe_enum(enum, name, lines)
    for nested in message.get("nested_type", []):
        if scope_name(name, nested) not in entries:
            describe_message(nested, name, lines)


def scope_name(scope, message):
    return scope + "." + one(message, "name")


def field_type(field):
    type_name = one(field, "type_name").lstrip(".")
    return one(field, "type") + (":" + type_name if type_name else "")


def describe_enum(enum, scope, lines):
    name = scope + "." + one(enum, "name")
    lines.append("enum " + name)
    for value in enum.get("value", []):
        lines.append("value %s.%s %s" % (name, one(value, "name"), one(value, "number")))


def describe(text):
    lines = []
    for file in parse(text)["file"]:
        package = one(file, "package")
        for message in file.get("message_type", []):
            describe_message(message, package, lines)
        for enum in file.get("enum_type", []):
            describe_enum(enum, package, lines)
        for service in file.get("service", []):
            name = package + "." + one(service, "name")
            lines.append("service " + name)
            for method in service.get("method", []):
                lines.append("rpc %s.%s %s %s client_streaming=%s server_streaming=%s" % (
                    name, one(method, "name"), one(method, "input_type").lstrip("."), one(method, "output_type").lstrip("."),
                    one(method, "client_streaming", "false"), one(method, "server_streaming", "false")))
    return sorted(lines)


if __name__ == "__main__":
    print("\n".join(describe(dump(sys.argv[1]))))
