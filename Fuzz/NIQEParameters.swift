@testable import Engine
import Foundation

/// NIQE's pristine model (assets/niqe/niqe_pris_params.safetensors).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzNIQEParameters(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzInput(bytes, count)
    expectReadOrOneLineError(files: "fuzz.safetensors") { _ = try NIQE(parameters: data, file: "fuzz.safetensors") }
    return 0
}
