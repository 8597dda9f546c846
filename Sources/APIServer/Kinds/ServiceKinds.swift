import Foundation
import KubeAPI

// Services and the endpoints behind them: core/v1 services and endpoints, discovery.k8s.io
// endpointslices.
extension ResourceType {
    static let services = ResourceType(
        group: "", version: "v1", name: "services", singular: "service", kind: "Service", namespaced: true,
        shortNames: ["svc"],
        schema: CoreV1.Service.self,
        columns: [
            Column("Type", "The type of the service") { $0["spec"]?["type"] ?? "" },
            Column("Cluster-IP", "The IP address of the service") { orNone($0["spec"]?["clusterIP"]?.stringValue) },
            Column("External-IP", "The external IP address of the service") { serviceExternalIP($0) },
            Column("Port(s)", "The port(s) of the service") { service in
                let ports = array(service["spec"]?["ports"]).map { port -> String in
                    let number = int(port["port"]), nodePort = int(port["nodePort"])
                    let proto = port["protocol"]?.stringValue ?? "TCP"
                    return nodePort > 0 ? "\(number):\(nodePort)/\(proto)" : "\(number)/\(proto)"
                }
                return orNone(ports.joined(separator: ","))
            },
            ageColumn,
            Column("Selector", priority: 1, "The selector of the service") { .string(formatMap($0["spec"]?["selector"])) },
        ],
        applyDefaults: { service in
            // SetDefaults_Service, for the fields every Service prints with.
            var spec = service["spec"]?.objectValue ?? [:]
            if spec["type"] == nil { spec["type"] = "ClusterIP" }
            if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
            let type = spec["type"]?.stringValue ?? ""
            if type != "ExternalName" {
                if spec["internalTrafficPolicy"] == nil { spec["internalTrafficPolicy"] = "Cluster" }
                if spec["ipFamilies"] == nil { spec["ipFamilies"] = .array(["IPv4"]) }
                if spec["ipFamilyPolicy"] == nil { spec["ipFamilyPolicy"] = "SingleStack" }
            }
            if (type == "NodePort" || type == "LoadBalancer"), spec["externalTrafficPolicy"] == nil { spec["externalTrafficPolicy"] = "Cluster" }
            spec["ports"] = spec["ports"].map { ports in
                .array(array(ports).map { port in
                    var port = port
                    if port["protocol"] == nil { port["protocol"] = "TCP" }
                    if port["targetPort"] == nil { port["targetPort"] = port["port"] }
                    return port
                })
            }
            service["spec"] = .object(spec)
            if service["status"] == nil { service["status"] = .object(["loadBalancer": .object([:])]) }
        },
        typed: { service throws(APIError) in try validateService(service) },
        subresources: [.status], categories: ["all"])

    private static func serviceExternalIP(_ service: JSONValue) -> JSONValue {
        let spec = service["spec"]
        let external = array(spec?["externalIPs"]).compactMap(\.stringValue)
        switch spec?["type"]?.stringValue ?? "ClusterIP" {
        case "ExternalName": return .string(spec?["externalName"]?.stringValue ?? "")
        case "LoadBalancer":
            let ingress = array(service["status"]?["loadBalancer"]?["ingress"]).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
            let all = ingress + external
            return .string(all.isEmpty ? "<pending>" : all.joined(separator: ","))
        default: return orNone(external.joined(separator: ","))
        }
    }

    static let endpoints = ResourceType(
        group: "", version: "v1", name: "endpoints", singular: "endpoints", kind: "Endpoints", namespaced: true,
        shortNames: ["ep"],
        schema: CoreV1.Endpoints.self,
        columns: [
            Column("Endpoints", "Endpoints of the service") { object in
                var all: [String] = []
                for subset in array(object["subsets"]) {
                    let ports = array(subset["ports"]).map { int($0["port"]) }
                    for address in array(subset["addresses"]) {
                        let ip = address["ip"]?.stringValue ?? ""
                        if ports.isEmpty { all.append(ip) } else { all += ports.map { "\(ip):\($0)" } }
                    }
                }
                return .string(endpointList(all))
            },
            ageColumn,
        ])

    /// At most three endpoints, then `+ N more...`, as upstream's formatEndpoints.
    static func endpointList(_ all: [String]) -> String {
        if all.isEmpty { return "<none>" }
        let shown = all.prefix(3).joined(separator: ",")
        return all.count > 3 ? "\(shown) + \(all.count - 3) more..." : shown
    }

    static let endpointSlices = ResourceType(
        group: "discovery.k8s.io", version: "v1", name: "endpointslices", singular: "endpointslice", kind: "EndpointSlice",
        namespaced: true, shortNames: [],
        schema: DiscoveryV1.EndpointSlice.self,
        columns: [
            Column("AddressType", "The IP protocol for this slice") { $0["addressType"] ?? "" },
            Column("Ports", "The ports of this slice") { slice in
                let ports = array(slice["ports"]).map { $0["port"].map { "\(int($0))" } ?? "<unset>" }
                return .string(ports.isEmpty ? "<unset>" : ports.joined(separator: ","))
            },
            Column("Endpoints", "The endpoints of this slice") { slice in
                .string(endpointList(array(slice["endpoints"]).flatMap { array($0["addresses"]).compactMap(\.stringValue) }).replacingOccurrences(of: "<none>", with: "<unset>"))
            },
            ageColumn,
        ])
}
