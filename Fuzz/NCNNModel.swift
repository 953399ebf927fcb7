@testable import Engine
import Foundation

/// ncnn .param and .bin: the input is the .param text, a NUL byte, then the .bin bytes (no NUL:
/// all of it is the .param with no weights). A network is built from both, as `upscale` loads one.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzNCNNModel(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzInput(bytes, count)
    let split = data.firstIndex(of: 0) ?? data.endIndex
    let param = data[..<split], weights = split < data.endIndex ? data[(split + 1)...] : Data()
    expectReadOrOneLineError(files: "fuzz.param", "fuzz.bin") {
        _ = try NCNNModel.load(param: Data(param), file: "fuzz.param", weights: Data(weights), file: "fuzz.bin")
    }
    return 0
}
