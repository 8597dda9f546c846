import ContainerRuntime
import Foundation
import Glibc
import KubeAPI
import KubeClient
import LinuxSys

/// `swiftlet get|apply|delete|describe|edit|label`: kubectl's verbs, over the API with
/// the KubeClient code a remote agent uses, reading the admin kubeconfig that
/// `swiftlet server` writes unless `--kubeconfig` or `$KUBECONFIG` names another.
/// Output, messages and exit status follow kubectl's.
struct ClientCommand {
    static let verbs: Set<String> = ["get", "apply", "delete", "describe", "edit", "label", "cordon", "uncordon", "drain"]

    /// The flags every verb takes, and the positional arguments left.
    struct Options {
        var kubeconfig = ProcessInfo.processInfo.environment["KUBECONFIG"].flatMap { $0.split(separator: ":").first.map(String.init) }
            ?? ServerOptions.defaultKubeconfigPath
        var namespace: String?
        var allNamespaces = false
        var output = ""
        var selector: String?
        var fieldSelector: String?
        var files: [String] = []
        var overwrite = false
        var all = false
        var wait = true
        var gracePeriod: Int?
        var force = false
        var ignoreDaemonSets = false
        var deleteEmptyDirData = false
        /// drain's --timeout; nil waits as long as it takes.
        var timeout: Duration?
        var positional: [String] = []

        init(_ args: [String]) throws {
            var args = Arguments(items: args)
            while let arg = args.next() {
                let parts = arg.split(separator: "=", maxSplits: 1).map(String.init)
                let flag = parts[0]
                func value() throws -> String { parts.count > 1 ? parts[1] : try args.value(for: flag) }
                func bool() throws -> Bool {
                    guard parts.count > 1 else { return true }
                    guard let value = Bool(parts[1]) else { throw UsageError(description: "invalid value \"\(parts[1])\" for \(flag): true or false") }
                    return value
                }
                switch flag {
                case "--kubeconfig": kubeconfig = try value()
                case "-n", "--namespace": namespace = try value()
                case "-A", "--all-namespaces": allNamespaces = try bool()
                case "-o", "--output": output = try value()
                case "-l", "--selector": selector = try value()
                case "--field-selector": fieldSelector = try value()
                case "-f", "--filename": files.append(try value())
                case "--overwrite": overwrite = try bool()
                case "--all": all = try bool()
                case "--wait": wait = try bool()
                case "--now": gracePeriod = 1
                case "--force": force = try bool()
                case "--ignore-daemonsets": ignoreDaemonSets = try bool()
                case "--delete-emptydir-data": deleteEmptyDirData = try bool()
                case "--timeout":
                    let text = try value()
                    guard let seconds = Self.seconds(text) else { throw UsageError(description: "invalid --timeout \"\(text)\": a duration such as 90s or 5m is required") }
                    timeout = seconds == 0 ? nil : .seconds(seconds)
                case "--grace-period":
                    let text = try value()
                    guard let seconds = Int(text) else { throw UsageError(description: "invalid --grace-period \"\(text)\"") }
                    gracePeriod = seconds
                default:
                    if flag.hasPrefix("-"), flag.count > 1, Int(flag) == nil { throw UsageError(description: "unknown flag: \(flag)") }
                    positional.append(arg)
                }
            }
        }
    }

    let options: Options
    let client: KubeClient
    let namespace: String

    /// Runs `verb`; returns the exit status (1 for any error, as kubectl).
    static func run(_ verb: String, _ args: [String]) throws -> Int32 {
        let options = try Options(args)
        return try ImageCommand.blocking {
            do {
                let config = try KubeConfig.load(path: options.kubeconfig)
                let transport = try HTTPSTransport(config: config)
                var client = KubeClient(transport: transport)
                client.onWarning = { TextOutput.line("Warning: \($0)", fd: 2) }
                let command = ClientCommand(options: options, client: client,
                                            namespace: options.namespace ?? config.namespace ?? "default")
                let status: Int32
                do {
                    status = try await command.run(verb)
                } catch {
                    try? await transport.shutdown()
                    throw error
                }
                try await transport.shutdown()
                return status
            } catch let error as StatusError {
                TextOutput.line(error.description, fd: 2)
            } catch let error as ClientError {
                TextOutput.line("error: \(error.description)", fd: 2)
            } catch let error as ManifestError {
                TextOutput.line("error: \(error.description)", fd: 2)
            }
            return 1
        }
    }

    func run(_ verb: String) async throws -> Int32 {
        switch verb {
        case "get": return try await get()
        case "apply": return try await apply()
        case "delete": return try await delete()
        case "describe": return try await describe()
        case "edit": return try await edit()
        case "cordon", "uncordon": return try await cordon(verb == "cordon")
        case "drain": return try await drain()
        default: return try await label()
        }
    }

    func discovery() async throws -> Discovery { try await Discovery.load(client) }

    /// `TYPE NAME...` or `TYPE/NAME...`: the type and the names (none: every object).
    func targets(_ discovery: Discovery, _ arguments: [String]? = nil) throws -> [(resource: APIResource, name: String?)] {
        var positional = arguments ?? options.positional
        guard let first = positional.first else {
            throw ClientError("You must specify the type of resource to get. Use \"swiftlet api-resources\" for a complete list of supported resources.")
        }
        if first.contains("/") {
            return try positional.map { item in
                let parts = item.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ClientError("arguments in resource/name form must have a single resource and name") }
                return (try discovery.resolve(parts[0]), parts[1])
            }
        }
        if positional.dropFirst().contains(where: { $0.contains("/") }) {
            throw ClientError("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'swiftlet get resource/<resource_name>' instead of 'swiftlet get resource resource/<resource_name>')")
        }
        // `deploy,svc`: each type in turn, with the same names.
        let resources = try positional.removeFirst().split(separator: ",").map { try discovery.resolve(String($0)) }
        return resources.flatMap { resource in positional.isEmpty ? [(resource, nil)] : positional.map { (resource, $0) } }
    }

    func objectNamespace(_ resource: APIResource, _ object: JSONValue? = nil) -> String? {
        guard resource.namespaced else { return nil }
        return object?["metadata"]?["namespace"]?.stringValue ?? namespace
    }

    // MARK: get

    func get() async throws -> Int32 {
        let discovery = try await discovery()
        var status: Int32 = 0
        var tables: [(APIResource, JSONValue)] = []
        var objects: [(APIResource, JSONValue)] = []
        let asTable = options.output == "" || options.output == "wide"
        let targets = try targets(discovery)
        let single = targets.count == 1 && targets[0].name != nil
        for (resource, name) in targets {
            let namespace = options.allNamespaces && name == nil ? nil : objectNamespace(resource)
            do {
                let reply: JSONValue
                if let name {
                    reply = try await client.send("GET", resource.path(namespace: namespace, name: name),
                                                  accept: asTable ? KubeClient.tableAccept : "application/json")
                } else {
                    reply = try await client.list(resource, namespace: namespace, labelSelector: options.selector,
                                                  fieldSelector: options.fieldSelector, asTable: asTable)
                }
                if asTable {
                    tables.append((resource, reply))
                } else if name != nil {
                    objects.append((resource, reply))
                } else {
                    objects += (reply["items"]?.arrayValue ?? []).map { (resource, $0) }
                }
            } catch let error as StatusError {
                TextOutput.line(error.description, fd: 2)
                status = 1
            }
        }
        if asTable {
            printTables(tables, listing: targets.allSatisfy { $0.name == nil })
        } else {
            try printObjects(objects, single: single && objects.count == 1)
        }
        return status
    }

    /// One table per type, a blank line between; with several types each name says its
    /// type (`deployment.apps/web`), as kubectl prints them.
    func printTables(_ tables: [(APIResource, JSONValue)], listing: Bool) {
        let withNamespace = options.allNamespaces
        var groups: [(resource: APIResource, header: [String], rows: [[String]])] = []
        for (resource, table) in tables {
            let columns = table["columnDefinitions"]?.arrayValue ?? []
            let shown = columns.indices.filter { options.output == "wide" || (columns[$0]["priority"]?.intValue ?? 0) == 0 }
            if groups.last?.resource != resource {
                groups.append((resource, (withNamespace ? ["NAMESPACE"] : []) + shown.map { (columns[$0]["name"]?.stringValue ?? "").uppercased() }, []))
            }
            for row in table["rows"]?.arrayValue ?? [] {
                let cells = row["cells"]?.arrayValue ?? []
                let namespace = row["object"]?["metadata"]?["namespace"]?.stringValue ?? ""
                groups[groups.count - 1].rows.append((withNamespace ? [namespace] : []) + shown.map { $0 < cells.count ? Self.cellText(cells[$0]) : "" })
            }
        }
        let multipleTypes = Set(groups.map(\.resource.qualifiedName)).count > 1
        let shown = groups.filter { !$0.rows.isEmpty }
        guard !shown.isEmpty else {
            let clusterScoped = tables.allSatisfy { !$0.0.namespaced }
            if listing {
                TextOutput.line(withNamespace || clusterScoped ? "No resources found" : "No resources found in \(namespace) namespace.", fd: 2)
            }
            return
        }
        for (index, group) in shown.enumerated() {
            if index > 0 { TextOutput.line("") }
            let nameColumn = withNamespace ? 1 : 0
            let rows = multipleTypes ? group.rows.map { row in
                var row = row
                row[nameColumn] = group.resource.objectName(row[nameColumn])
                return row
            } : group.rows
            TextOutput.table([group.header] + rows)
        }
    }

    static func cellText(_ cell: JSONValue) -> String {
        switch cell {
        case .string(let text): return text
        case .null: return "<none>"
        case .array(let items): return items.map(cellText).joined(separator: ",")
        default: return cell.jsonText
        }
    }

    func printObjects(_ objects: [(APIResource, JSONValue)], single: Bool) throws {
        // List items come without their type; kubectl prints them with it.
        let typed = objects.map { resource, object -> JSONValue in
            var object = object
            object["apiVersion"] = .string(resource.apiVersion)
            object["kind"] = .string(resource.kind)
            return object
        }
        let document: JSONValue = single ? typed[0]
            : .object(["apiVersion": "v1", "kind": "List", "items": .array(typed), "metadata": .object(["resourceVersion": ""])])
        switch options.output {
        case "json": TextOutput.write(document.prettyJSON())
        case "yaml": TextOutput.write(document.yamlText)
        case "name":
            for (resource, object) in objects { TextOutput.line(resource.objectName(object["metadata"]?["name"]?.stringValue ?? "")) }
        default:
            throw ClientError("unable to match a printer suitable for the output format \"\(options.output)\", allowed formats are: json,name,wide,yaml")
        }
    }

    // MARK: apply

    static let lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

    func apply() async throws -> Int32 {
        guard !options.files.isEmpty else { throw ClientError("must specify one of -f and -k") }
        let discovery = try await discovery()
        var status: Int32 = 0
        for (source, object) in try manifestObjects() {
            guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue else {
                throw ClientError("error validating \"\(source)\": apiVersion and kind must be set")
            }
            let resource = try discovery.resolve(apiVersion: apiVersion, kind: kind)
            guard let name = object["metadata"]?["name"]?.stringValue, !name.isEmpty else {
                throw ClientError("error validating \"\(source)\": metadata.name must be set")
            }
            if let given = options.namespace, let own = object["metadata"]?["namespace"]?.stringValue, resource.namespaced, given != own {
                throw ClientError("the namespace from the provided object \"\(own)\" does not match the namespace \"\(given)\". You must pass '--namespace=\(own)' to perform this operation.")
            }
            let namespace = objectNamespace(resource, object)
            // The annotation holds what was applied, without itself but with the (perhaps
            // empty) annotations map, byte for byte as kubectl writes it: either tool's next
            // apply then sees no change.
            var applied = object
            var annotations = object["metadata"]?["annotations"]?.objectValue ?? [:]
            annotations[Self.lastApplied] = nil
            applied["metadata"]?["annotations"] = .object(annotations)
            var modified = applied
            annotations[Self.lastApplied] = .string(applied.jsonText + "\n")
            modified["metadata"]?["annotations"] = .object(annotations)
            do {
                guard let current = try await client.get(resource, namespace: namespace, name: name) else {
                    _ = try await client.create(resource, namespace: namespace, modified)
                    TextOutput.line("\(resource.objectName(name)) created")
                    continue
                }
                let original = try current["metadata"]?["annotations"]?[Self.lastApplied]?.stringValue.map { try JSONValue.parse($0) }
                let patch = StrategicMerge.threeWayPatch(original: original, modified: modified, current: current)
                if patch == .object([:]) {
                    TextOutput.line("\(resource.objectName(name)) unchanged")
                    continue
                }
                _ = try await client.patch(resource, namespace: namespace, name: name, .strategic, patch)
                TextOutput.line("\(resource.objectName(name)) configured")
            } catch let error as StatusError {
                TextOutput.line("Error from server (\(error.reason)): error when applying \"\(source)\": \(error.message)", fd: 2)
                status = 1
            }
        }
        return status
    }

    /// The objects of every `-f` file (a directory: its .yaml, .yml and .json files; `-`: stdin).
    func manifestObjects() throws -> [(source: String, object: JSONValue)] {
        var result: [(String, JSONValue)] = []
        for file in options.files {
            var paths = [file]
            var isDirectory: ObjCBool = false
            if file != "-", FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: file)) ?? []
                paths = names.filter { name in [".yaml", ".yml", ".json"].contains { name.hasSuffix($0) } }.sorted().map { "\(file)/\($0)" }
            }
            for path in paths {
                let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
                guard let data else { throw ClientError("the path \"\(path)\" does not exist") }
                do {
                    for document in try Manifest.documents(String(decoding: data, as: UTF8.self)) {
                        // A List (as `get -o yaml` prints) applies item by item.
                        if document.value["kind"]?.stringValue == "List", let items = document.value["items"]?.arrayValue {
                            result += items.map { (path, $0) }
                        } else {
                            result.append((path, document.value))
                        }
                    }
                } catch let error as ManifestError {
                    throw ClientError("error parsing \(path): \(error.description)")
                }
            }
        }
        return result
    }

    // MARK: delete

    func delete() async throws -> Int32 {
        let discovery = try await discovery()
        var doomed: [(resource: APIResource, namespace: String?, name: String)] = []
        if !options.files.isEmpty {
            for (_, object) in try manifestObjects() {
                let resource = try discovery.resolve(apiVersion: object["apiVersion"]?.stringValue ?? "", kind: object["kind"]?.stringValue ?? "")
                doomed.append((resource, objectNamespace(resource, object), object["metadata"]?["name"]?.stringValue ?? ""))
            }
        } else {
            for (resource, name) in try targets(discovery) {
                if let name {
                    doomed.append((resource, objectNamespace(resource), name))
                    continue
                }
                guard options.all || options.selector != nil || options.fieldSelector != nil else {
                    throw ClientError("resource(s) were provided, but no name was specified")
                }
                let namespace = options.allNamespaces ? nil : objectNamespace(resource)
                let list = try await client.list(resource, namespace: namespace, labelSelector: options.selector, fieldSelector: options.fieldSelector)
                for item in list["items"]?.arrayValue ?? [] {
                    doomed.append((resource, objectNamespace(resource, item), item["metadata"]?["name"]?.stringValue ?? ""))
                }
                if list["items"]?.arrayValue?.isEmpty ?? true {
                    TextOutput.line(namespace.map { "No resources found in \($0) namespace." } ?? "No resources found", fd: 2)
                }
            }
        }
        var status: Int32 = 0
        var deleted: [(APIResource, String?, String, String?)] = []
        for (resource, namespace, name) in doomed {
            do {
                let last = try await client.delete(resource, namespace: namespace, name: name, gracePeriodSeconds: options.gracePeriod)
                TextOutput.line("\(resource.kind.lowercased())\(resource.group.isEmpty ? "" : ".\(resource.group)") \"\(name)\" deleted")
                deleted.append((resource, namespace, name, last["metadata"]?["uid"]?.stringValue))
            } catch let error as StatusError {
                TextOutput.line(error.description, fd: 2)
                status = 1
            }
        }
        // --wait (kubectl's default): until each object, that same object (uid), is gone.
        if options.wait {
            let deadline = Date().addingTimeInterval(7 * 24 * 3600)
            for (resource, namespace, name, uid) in deleted {
                while let object = try await client.get(resource, namespace: namespace, name: name),
                      uid == nil || object["metadata"]?["uid"]?.stringValue == uid, Date() < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        }
        return status
    }

    // MARK: label

    func label() async throws -> Int32 {
        var positional = options.positional
        let changes = positional.filter { $0.contains("=") || $0.hasSuffix("-") }
        positional.removeAll { changes.contains($0) }
        guard !changes.isEmpty else { throw ClientError("at least one label update is required") }
        var labels: [String: JSONValue] = [:]
        for change in changes {
            if change.hasSuffix("-"), !change.contains("=") {
                labels[String(change.dropLast())] = .null
            } else {
                let parts = change.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                labels[parts[0]] = .string(parts[1])
            }
        }
        let discovery = try await discovery()
        var status: Int32 = 0
        for (resource, name) in try targets(discovery, positional) {
            guard let name else { throw ClientError("resource(s) were provided, but no name was specified") }
            let namespace = objectNamespace(resource)
            do {
                guard let current = try await client.get(resource, namespace: namespace, name: name) else {
                    throw StatusError.notFound(resource, name)
                }
                let existing = current["metadata"]?["labels"]?.objectValue ?? [:]
                if !options.overwrite {
                    for (key, value) in labels.sorted(by: { $0.key < $1.key }) where value != .null {
                        if let old = existing[key]?.stringValue, old != value.stringValue {
                            throw ClientError("'\(key)' already has a value (\(old)), and --overwrite is false")
                        }
                    }
                }
                let effective = labels.filter { key, value in value == .null ? existing[key] != nil : existing[key] != value }
                if effective.isEmpty {
                    TextOutput.line("\(resource.objectName(name)) not labeled")
                    continue
                }
                _ = try await client.patch(resource, namespace: namespace, name: name, .merge,
                                           .object(["metadata": .object(["labels": .object(effective)])]))
                let removedOnly = effective.values.allSatisfy { $0 == .null }
                TextOutput.line("\(resource.objectName(name)) \(removedOnly ? "unlabeled" : "labeled")")
            } catch let error as StatusError {
                TextOutput.line(error.description, fd: 2)
                status = 1
            }
        }
        return status
    }

    // MARK: edit

    func edit() async throws -> Int32 {
        let discovery = try await discovery()
        var status: Int32 = 0
        for (resource, name) in try targets(discovery) {
            guard let name else { throw ClientError("resource(s) were provided, but no name was specified") }
            let namespace = objectNamespace(resource)
            guard let current = try await client.get(resource, namespace: namespace, name: name) else {
                throw StatusError.notFound(resource, name)
            }
            var typed = current
            typed["apiVersion"] = .string(resource.apiVersion)
            typed["kind"] = .string(resource.kind)
            let header = """
                # Please edit the object below. Lines beginning with a '#' will be ignored,
                # and an empty file will abort the edit. If an error occurs while saving this file will be
                # reopened with the relevant failures.
                #

                """
            let path = "\(NSTemporaryDirectory())swiftlet-edit-\(getpid())-\(name).yaml"
            try Files.writeAtomically(path, header + typed.yamlText, mode: 0o600)
            defer { unlink(path) }
            let editor = ProcessInfo.processInfo.environment["KUBE_EDITOR"] ?? ProcessInfo.processInfo.environment["EDITOR"] ?? "vi"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "\(editor) \"$1\"", "editor", path]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ClientError("there was a problem with the editor \"\(editor)\"") }
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let content = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
            guard !content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                TextOutput.line("Edit cancelled, no valid changes were saved.", fd: 2)
                continue
            }
            let edited: JSONValue
            do {
                edited = try Manifest.parseDocument(content)
            } catch {
                throw ClientError("\(error)")
            }
            if edited == typed {
                TextOutput.line("Edit cancelled, no changes made.")
                continue
            }
            do {
                // PUT with the resourceVersion it was read at: a concurrent change is a 409, not lost.
                _ = try await client.update(resource, namespace: namespace, edited)
                TextOutput.line("\(resource.objectName(name)) edited")
            } catch let error as StatusError {
                let kept = "\(NSTemporaryDirectory())swiftlet-edit-\(UInt32.random(in: 0...UInt32.max)).yaml"
                try Files.writeAtomically(kept, text, mode: 0o600)
                TextOutput.line("error: \(resource.qualifiedName) \"\(name)\" could not be patched: \(error.message)", fd: 2)
                TextOutput.line("You can run `swiftlet replace -f \(kept)` to try this update again.", fd: 2)
                status = 1
            }
        }
        return status
    }

    // MARK: describe

    func describe() async throws -> Int32 {
        let discovery = try await discovery()
        let events = try? discovery.resolve("events")
        var first = true
        var status: Int32 = 0
        for (resource, name) in try targets(discovery) {
            let namespace = options.allNamespaces && name == nil ? nil : objectNamespace(resource)
            var objects: [JSONValue] = []
            if let name {
                guard let object = try await client.get(resource, namespace: namespace, name: name) else {
                    TextOutput.line(StatusError.notFound(resource, name).description, fd: 2)
                    status = 1
                    continue
                }
                objects = [object]
            } else {
                objects = try await client.list(resource, namespace: namespace, labelSelector: options.selector)["items"]?.arrayValue ?? []
            }
            for var object in objects {
                object["apiVersion"] = .string(resource.apiVersion)
                object["kind"] = .string(resource.kind)
                var related: [JSONValue] = []
                if let events, let uid = object["metadata"]?["uid"]?.stringValue {
                    let list = try await client.list(events, namespace: object["metadata"]?["namespace"]?.stringValue,
                                                     fieldSelector: "involvedObject.uid=\(uid)")
                    related = list["items"]?.arrayValue ?? []
                }
                if !first { TextOutput.write("\n\n") }
                first = false
                TextOutput.write(Describer.describe(object, events: related))
            }
        }
        return status
    }
}

extension StatusError {
    /// The 404 a missing object gets, for the commands that look before they act.
    static func notFound(_ resource: APIResource, _ name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \"\(name)\" not found")
    }
}
