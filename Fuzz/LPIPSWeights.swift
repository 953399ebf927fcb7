@testable import Engine
import Foundation

/// LPIPS's AlexNet and head weights (assets/lpips/alexnet.safetensors), read into one network
/// made once: building AlexNet for every input would take most of the time.
private let lpips = LPIPS()

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzLPIPSWeights(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzInput(bytes, count)
    expectReadOrOneLineError(files: "fuzz.safetensors") { try lpips.assignWeights(data, file: "fuzz.safetensors") }
    return 0
}
