// The recogniser's output is a probability for each of its 6,625 characters at every step: 2 MB for
// each line 640 px wide in a run, copied out of ONNX Runtime into JavaScript on every run, while greedy
// CTC decoding reads only each step's most likely class and its probability. Appended to the graph as
// it loads, ArgMax and ReduceMax hand back just those (ArgMax keeps the first of equal maxima, as a
// strict `>` scan does), so a run's output is two small arrays and no JavaScript loop goes over
// every class.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Each step's most likely class (int32, [lines, steps]). */
export const BEST_CLASS = 'best_class';
/** That class's probability (float, [lines, steps]). */
export const BEST_PROBABILITY = 'best_probability';

/** The recognition model with its one output, [lines, steps, classes] probabilities, reduced over the classes. */
export function withBestClassOutputs(bytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph!;
  if (graph.output?.length !== 1) throw new Error(`the recognition model has ${graph.output?.length ?? 0} outputs, not 1`);
  const probabilities = graph.output[0]!.name!;
  const int = (name: string, i: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
  const index = `${BEST_CLASS}_int64`;
  graph.node = [
    ...(graph.node ?? []),
    { opType: 'ArgMax', input: [probabilities], output: [index], attribute: [int('axis', 2), int('keepdims', 0)] },
    // Class numbers fit in 32 bits, which JavaScript reads as plain numbers (int64 comes as BigInt).
    { opType: 'Cast', input: [index], output: [BEST_CLASS], attribute: [int('to', onnx.TensorProto.DataType.INT32)] },
    // The packaged model is opset 9: ReduceMax takes its axes as an attribute (an input from opset 18).
    {
      opType: 'ReduceMax',
      input: [probabilities],
      output: [BEST_PROBABILITY],
      attribute: [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [2] }, int('keepdims', 0)],
    },
  ];
  const tensorOutput = (name: string, elemType: number) => ({ name, type: { tensorType: { elemType } } });
  graph.output = [
    tensorOutput(BEST_CLASS, onnx.TensorProto.DataType.INT32),
    tensorOutput(BEST_PROBABILITY, onnx.TensorProto.DataType.FLOAT),
  ];
  return onnx.ModelProto.encode(model).finish();
}
