import Foundation
import KubeAPI

// Events: core/v1, and events.k8s.io/v1 served from the same stored objects, as upstream
// does (one key per event, whichever API wrote it). Tables, field selectors and validation
// work on the stored (core) form, as upstream's work on its internal one.
extension ResourceType {
    static let events = ResourceType(
        group: "", version: "v1", name: "events", singular: "event", kind: "Event", namespaced: true,
        shortNames: ["ev"],
        schema: CoreV1.Event.self,
        columns: [
            Column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            Column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
            Column("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            Column("Object", "The object that this event is about."),
            Column("Subobject", priority: 1, "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object."),
            Column("Source", priority: 1, "The component reporting this event. Should be a short machine understandable string."),
            Column("Message", "A human-readable description of the status of this operation."),
            Column("First Seen", priority: 1, "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
            Column("Count", priority: 1, "The number of times this event has occurred."),
            Column("Name", format: "name", priority: 1, "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"),
        ],
        selectableFields: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                           "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                           "reason", "reportingComponent", "source", "type"],
        nameColumn: false,
        cells: eventCells,
        validate: { event, _ in validateEvent(event, strict: false) })

    static let eventsV1 = ResourceType(
        group: "events.k8s.io", version: "v1", name: "events", singular: "event", kind: "Event", namespaced: true,
        shortNames: ["ev"],
        schema: EventsV1.Event.self,
        columns: events.columns,
        // Upstream's field label conversion for events.k8s.io/v1 (the stored names follow from `storage`).
        selectableFields: ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "regarding.apiVersion",
                           "regarding.resourceVersion", "regarding.fieldPath", "reason", "reportingController", "source", "type"],
        nameColumn: false,
        cells: events.cells,
        // A new event must be one of the new API's; one it updates may be any.
        validate: { event, create in validateEvent(event, strict: create) },
        storage: Storage(events, renaming: [
            "regarding": "involvedObject", "note": "message", "reportingController": "reportingComponent",
            "deprecatedSource": "source", "deprecatedFirstTimestamp": "firstTimestamp",
            "deprecatedLastTimestamp": "lastTimestamp", "deprecatedCount": "count",
        ]))

    /// Upstream's printEvent, wide (the server always sends every column): first seen from
    /// firstTimestamp or eventTime, last seen from lastTimestamp or the series, a singleton
    /// counted once, the source from the reporting controller when the legacy one is empty.
    private static func eventCells(_ event: JSONValue) -> [JSONValue] {
        func text(_ value: JSONValue?) -> String? { value?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
        let first = age(text(event["firstTimestamp"]) ?? text(event["eventTime"]))
        var last = text(event["lastTimestamp"]).map(age) ?? first
        var count = int(event["count"])
        if let series = event["series"], series != .null {
            last = age(text(series["lastObservedTime"]))
            count = int(series["count"])
        } else if count == 0 {
            count = 1
        }
        let involved = event["involvedObject"]
        let kind = (text(involved?["kind"]) ?? "").lowercased()
        let target = text(involved?["name"]).map { "\(kind)/\($0)" } ?? kind
        let component = text(event["source"]?["component"]) ?? text(event["reportingComponent"]) ?? ""
        let instance = text(event["source"]?["host"]) ?? text(event["reportingInstance"])
        return [.string(last), event["type"] ?? "", event["reason"] ?? "", .string(target), event["involvedObject"]?["fieldPath"] ?? "",
                .string(instance.map { "\(component), \($0)" } ?? component),
                .string((text(event["message"]) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)),
                .string(first), .int(count), event["metadata"]?["name"] ?? ""]
    }

    /// Upstream's ValidateEventCreate/ValidateEventUpdate, of the stored form (so paths name
    /// the core fields, as upstream's): the legacy checks for every event, and `strict`ly,
    /// for one created through events.k8s.io/v1, the new API's fields and none of the old.
    static func validateEvent(_ event: JSONValue, strict: Bool) -> FieldErrorList {
        func isSet(_ value: JSONValue?) -> Bool { value != nil && value != .null }
        func text(_ field: String) -> String { event[field]?.stringValue ?? "" }
        var errors = FieldErrorList()
        let namespace = event["metadata"]?["namespace"]?.stringValue ?? ""
        let involvedNamespace = event["involvedObject"]?["namespace"]?.stringValue ?? ""
        let namespaceMismatch = FieldError.invalid(FieldPath("involvedObject", "namespace"), involvedNamespace, "does not match event.namespace")
        if !isSet(event["eventTime"]) {
            // An old-style event: its namespace is its object's ("default" for cluster-scoped ones).
            if involvedNamespace.isEmpty ? !["", "default"].contains(namespace) : namespace != involvedNamespace {
                errors.append(namespaceMismatch)
            }
        } else {
            if involvedNamespace.isEmpty, !["default", "kube-system"].contains(namespace) { errors.append(namespaceMismatch) }
            let controller = text("reportingComponent")
            if controller.isEmpty { errors.append(.required(FieldPath("reportingController"))) }
            for problem in NameValidation.isQualifiedName(controller) {
                errors.append(.invalid(FieldPath("reportingController"), controller, problem))
            }
            for field in ["reportingInstance", "action", "reason"] {
                if text(field).isEmpty { errors.append(.required(FieldPath(field))) }
                if text(field).utf8.count > 128 { errors.append(.invalid(FieldPath(field), "", "can have at most 128 characters")) }
            }
            if text("message").utf8.count > 1024 { errors.append(.invalid(FieldPath("message"), "", "can have at most 1024 characters")) }
        }
        guard strict else { return errors }
        if let series = event["series"], series != .null {
            if int(series["count"]) < 2 { errors.append(.invalid(FieldPath("series", "count"), "", "should be at least 2")) }
            if !isSet(series["lastObservedTime"]) { errors.append(.required(FieldPath("series", "lastObservedTime"))) }
        }
        if !isSet(event["eventTime"]) { errors.append(.required(FieldPath("eventTime"))) }
        if !["Normal", "Warning"].contains(text("type")) {
            errors.append(.invalid(FieldPath("type"), "", "has invalid value: \(text("type"))"))
        }
        for field in ["firstTimestamp", "lastTimestamp"] where isSet(event[field]) {
            errors.append(.invalid(FieldPath(field), "", "needs to be unset"))
        }
        if int(event["count"]) != 0 { errors.append(.invalid(FieldPath("count"), "", "needs to be unset")) }
        if !(event["source"]?["component"]?.stringValue ?? "").isEmpty || !(event["source"]?["host"]?.stringValue ?? "").isEmpty {
            errors.append(.invalid(FieldPath("source"), "", "needs to be unset"))
        }
        return errors
    }
}
