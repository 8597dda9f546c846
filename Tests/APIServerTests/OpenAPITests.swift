import Foundation
import KubeAPI
import XCTest
@testable import APIServer

/// The OpenAPI documents generated from the kinds' Swift types.
final class OpenAPITests: HandlerTestCase {
    func testEveryKindIsRecordedToTheEndAndDescribed() throws {
        XCTAssertEqual(OpenAPI.catalog.failures, [])
        for type in ResourceType.builtin {
            let schema = try XCTUnwrap(type.schema, type.qualifiedName)
            let definition = try XCTUnwrap(OpenAPI.catalog.definitions[SchemaCatalog.definitionName(schema)], type.qualifiedName)
            XCTAssertEqual(definition.properties.prefix(3).map(\.name), ["apiVersion", "kind", "metadata"], type.qualifiedName)
        }
        for definition in OpenAPI.catalog.definitions.values {
            XCTAssertFalse(definition.description.isEmpty, "\(definition.name) has no description")
            for property in definition.properties where property.description.isEmpty {
                XCTFail("\(definition.name).\(property.name) has no description")
            }
        }
    }

    /// kubectl explain: `/openapi/v3` names one document per group-version; in it, the
    /// kind's definition carries a GVK list with exactly group, version and kind.
    func testV3DocumentsCarryEachKindsSchemaByItsGVK() async throws {
        let (status, index) = await request("GET", "/openapi/v3")
        XCTAssertEqual(status, 200)
        let paths = try XCTUnwrap(index["paths"]?.objectValue)
        XCTAssertEqual(Set(paths.keys), ["api/v1", "apis/apps/v1", "apis/batch/v1", "apis/policy/v1", "apis/coordination.k8s.io/v1",
                                         "apis/discovery.k8s.io/v1", "apis/events.k8s.io/v1"])
        let url = try XCTUnwrap(paths["apis/apps/v1"]?["serverRelativeURL"]?.stringValue)
        XCTAssertTrue(url.hasPrefix("/openapi/v3/apis/apps/v1?hash="), url)
        let (documentStatus, document) = await request("GET", url)
        XCTAssertEqual(documentStatus, 200)
        let schemas = try XCTUnwrap(document["components"]?["schemas"]?.objectValue)
        let deployment = try XCTUnwrap(schemas["io.k8s.api.apps.v1.Deployment"])
        XCTAssertEqual(deployment["x-kubernetes-group-version-kind"], .array([.object(["group": "apps", "version": "v1", "kind": "Deployment"])]))
        XCTAssertEqual(deployment["properties"]?["spec"]?["allOf"], .array([.object(["$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"])]))
        XCTAssertEqual(schemas["io.k8s.api.apps.v1.DeploymentSpec"]?["required"], .array(["selector", "template"]))
        // The pod template's whole tree comes along, and every reference resolves in the document.
        XCTAssertNotNil(schemas["io.k8s.api.core.v1.Container"])
        XCTAssertEqual(Self.references(in: document, prefix: "#/components/schemas/").subtracting(schemas.keys), [])
        // The PATCH operation offers fieldValidation: kubectl validates on the server.
        let patch = document["paths"]?["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]?["patch"]
        XCTAssertEqual(patch?["x-kubernetes-group-version-kind"], .object(["group": "apps", "version": "v1", "kind": "Deployment"]))
        XCTAssertTrue(patch?["parameters"]?.arrayValue?.contains { $0["name"] == "fieldValidation" } ?? false)
    }

    /// Golden: one definition as v3 renders it (named types wrapped in allOf, Quantity's
    /// oneOf, required fields).
    func testV3RendersADefinitionAsUpstream() async throws {
        let (_, document) = await request("GET", "/openapi/v3/api/v1")
        let requirements = try XCTUnwrap(document["components"]?["schemas"]?["io.k8s.api.core.v1.ResourceRequirements"])
        XCTAssertEqual(requirements["type"], "object")
        XCTAssertEqual(requirements["properties"]?["limits"]?["type"], "object")
        XCTAssertEqual(requirements["properties"]?["limits"]?["additionalProperties"],
                       .object(["allOf": .array([.object(["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity"])])]))
        let quantity = try XCTUnwrap(document["components"]?["schemas"]?["io.k8s.apimachinery.pkg.api.resource.Quantity"])
        XCTAssertEqual(quantity["oneOf"], .array([.object(["type": "string"]), .object(["type": "number"])]))
        XCTAssertNil(quantity["type"])
        let port = try XCTUnwrap(document["components"]?["schemas"]?["io.k8s.api.core.v1.ContainerPort"])
        XCTAssertEqual(port["required"], .array(["containerPort"]))
        XCTAssertEqual(port["properties"]?["containerPort"]?["type"], "integer")
        XCTAssertEqual(port["properties"]?["containerPort"]?["format"], "int32")
        let time = try XCTUnwrap(document["components"]?["schemas"]?["io.k8s.apimachinery.pkg.apis.meta.v1.Time"])
        XCTAssertEqual(time["type"], "string")
        XCTAssertEqual(time["format"], "date-time")
        XCTAssertEqual(document["components"]?["schemas"]?["io.k8s.api.core.v1.PodSpec"]?["properties"]?["ephemeralContainers"]?["items"]?["x-kubernetes-preserve-unknown-fields"], true)
    }

    func testV2IsOneJSONDocumentAndRefusesProtobuf() async throws {
        let (status, document) = await request("GET", "/openapi/v2", accept: "application/json")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(document["swagger"], "2.0")
        let definitions = try XCTUnwrap(document["definitions"]?.objectValue)
        XCTAssertEqual(definitions["io.k8s.api.core.v1.Pod"]?["properties"]?["spec"]?["$ref"], "#/definitions/io.k8s.api.core.v1.PodSpec")
        XCTAssertEqual(definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]?["format"], "int-or-string")
        XCTAssertEqual(Self.references(in: document, prefix: "#/definitions/").subtracting(definitions.keys), [])
        for type in ResourceType.builtin {
            let gvks = definitions.values.compactMap { $0["x-kubernetes-group-version-kind"]?.arrayValue }.joined()
            XCTAssertTrue(gvks.contains(.object(["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)])),
                          type.qualifiedName)
        }
        let (refused, error) = await request("GET", "/openapi/v2", accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")
        XCTAssertEqual(refused, 406)
        XCTAssertEqual(error["reason"], "NotAcceptable")
        XCTAssertEqual(error["message"], "only the following media types are accepted: application/json")
    }

    /// Every kind drops the fields its schema does not declare, as upstream's decoder:
    /// Strict refuses them, Warn warns, Ignore is silent.
    func testFieldsNoSchemaDeclaresAreDroppedFromEveryKind() async throws {
        _ = await request("POST", "/api/v1/namespaces", #"{"metadata":{"name":"demo"}}"#)
        func deployment(_ name: String) -> String {
            #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\#(name)","colour":"red"},"spec":{"replica":3,"#
                + #""selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"#
                + #""spec":{"containers":[{"name":"web","image":"nginx","imagee":"x"}]}},"strategy":{"type":"Recreate","extra":null}}}"#
        }
        let uri = "/apis/apps/v1/namespaces/demo/deployments"
        let (refused, status) = await request("POST", uri + "?fieldValidation=Strict", deployment("strict"))
        XCTAssertEqual(refused, 400)
        XCTAssertEqual(status["message"], #"Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "metadata.colour", unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagee""#)

        let warned = await handler.handle(APIRequest(method: "POST", uri: uri + "?fieldValidation=Warn", contentType: "application/json",
                                                     body: Array(deployment("warn").utf8), user: "admin"))
        guard case .json(201, let created, _, let warnings) = warned else { return XCTFail("\(warned)") }
        XCTAssertEqual(warnings, [#"unknown field "metadata.colour""#, #"unknown field "spec.replica""#,
                                  #"unknown field "spec.template.spec.containers[0].imagee""#])
        XCTAssertNil(created["spec"]?["replica"])
        XCTAssertNil(created["metadata"]?["colour"])
        XCTAssertEqual(created["spec"]?["strategy"], .object(["type": "Recreate"]))
        XCTAssertEqual(created["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["image"], "nginx")

        let ignored = await handler.handle(APIRequest(method: "POST", uri: uri + "?fieldValidation=Ignore", contentType: "application/json",
                                                      body: Array(deployment("ignore").utf8), user: "admin"))
        guard case .json(201, let quiet, _, let none) = ignored else { return XCTFail("\(ignored)") }
        XCTAssertEqual(none, [])
        XCTAssertNil(quiet["spec"]?["replica"])
    }

    private static func references(in value: JSONValue, prefix: String) -> Set<String> {
        switch value {
        case .object(let members):
            var found = Set(members["$ref"]?.stringValue.map { [String($0.dropFirst(prefix.count))] } ?? [])
            for member in members.values { found.formUnion(references(in: member, prefix: prefix)) }
            return found
        case .array(let items): return items.reduce(into: Set()) { $0.formUnion(references(in: $1, prefix: prefix)) }
        default: return []
        }
    }
}
