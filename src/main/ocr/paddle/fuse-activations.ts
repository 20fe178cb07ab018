// PaddlePaddle's ONNX export writes each hard-swish as four element-wise ops, x · clip(x + 3, 0, 6) / 6,
// and PP-LCNetV3's learnable affine blocks (s · x + b, around each activation) as a Mul and an Add, and
// ONNX Runtime fuses none of them: in a profile of the recognition model 41% of its time went to those
// element-wise passes over whole feature maps, and 13% more to moving tensors out of and back into the
// blocked layout its convolutions use. Rewritten here, when the models are loaded, into the same
// arithmetic in fewer passes: affine steps folded into the weights and bias of a convolution next to
// them, and each hard-swish as x · HardSigmoid(x). What stays element-wise (each gate, and the shifts a
// padded convolution reads) passes through an identity 1×1 depthwise convolution, which ONNX Runtime
// fuses the gate into and keeps in its blocked layout. The models still come from their package,
// unchanged on disk.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Node = onnxProto.onnx.INodeProto;
type Tensor = onnxProto.onnx.ITensorProto;

export interface FusedModel {
  /** The rewritten model, for `InferenceSession.create`. */
  model: Uint8Array;
  /** How many hard-swish activations were rewritten. */
  activations: number;
  /** How many scalar Mul / Add steps were folded into a convolution. */
  folded: number;
  /** How many shifts and gates now pass through an identity depthwise convolution, to stay in its layout. */
  blocked: number;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;

export function fuseActivations(bytes: Uint8Array): FusedModel {
  const model = onnx.ModelProto.decode(bytes);
  const graph = new Graph(model.graph!);
  let folded = graph.foldAffineIntoConvs();
  const activations = graph.rewriteHardSwish();
  folded += graph.foldScaleAfterHardSwish();
  folded += graph.foldShiftIntoPointwiseConvs();
  const blocked = graph.shiftsAsDepthwiseConvs() + graph.gatesThroughDepthwiseConvs();
  graph.dropUnusedConstants();
  model.graph!.node = graph.nodes;
  return { model: onnx.ModelProto.encode(model).finish(), activations, folded, blocked };
}

class Graph {
  nodes: Node[];
  private constants = new Map<string, Tensor>();
  private graphOutputs: Set<string>;

  constructor(proto: onnxProto.onnx.IGraphProto) {
    this.nodes = proto.node ?? [];
    for (const tensor of proto.initializer ?? []) this.constants.set(tensor.name!, tensor);
    for (const node of this.nodes) {
      const value = node.opType === 'Constant' ? node.attribute?.find((a) => a.name === 'value')?.t : undefined;
      if (value) this.constants.set(node.output![0]!, value);
    }
    this.graphOutputs = new Set((proto.output ?? []).map((o) => o.name!));
  }

  private consumers(name: string): Node[] {
    return this.nodes.filter((n) => n.input?.includes(name));
  }

  private producer(name: string): Node | undefined {
    return this.nodes.find((n) => n.output?.includes(name));
  }

  /** The one node reading `name`, when nothing else (not even the graph's output) does. */
  private soleConsumer(name: string, opType: string): Node | undefined {
    if (this.graphOutputs.has(name)) return undefined;
    const readers = this.consumers(name);
    return readers.length === 1 && readers[0]!.opType === opType ? readers[0] : undefined;
  }

  private floats(name: string): Float32Array | undefined {
    const t = this.constants.get(name);
    if (!t || t.dataType !== FLOAT) return undefined;
    if (t.rawData?.length) return new Float32Array(new Uint8Array(t.rawData).buffer);
    return Float32Array.from(t.floatData ?? []);
  }

  /** Add(x, b) with b a one-element float constant. */
  private shift(add: Node): { x: string; b: number } | undefined {
    const x = add.input!.find((i) => this.scalarOperand(add, i) !== undefined);
    return x === undefined ? undefined : { x, b: this.scalarOperand(add, x)! };
  }

  /** The other input of a binary op when it is a one-element float constant. */
  private scalarOperand(node: Node, input: string): number | undefined {
    const others = node.input!.filter((i) => i !== input);
    if (others.length !== 1 || node.input!.length !== 2) return undefined;
    const values = this.floats(others[0]!);
    return values?.length === 1 ? values[0] : undefined;
  }

  private setFloats(name: string, values: Float32Array): void {
    const t = this.constants.get(name)!;
    t.rawData = new Uint8Array(values.buffer.slice(0));
    t.floatData = [];
  }

  private addConstant(name: string, values: Float32Array, before: Node, dims = [values.length]): void {
    const value: Tensor = { name, dataType: FLOAT, dims, rawData: new Uint8Array(values.buffer.slice(0)) };
    const node: Node = {
      opType: 'Constant',
      output: [name],
      attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: value }],
    };
    this.nodes.splice(this.nodes.indexOf(before), 0, node);
    this.constants.set(name, value);
  }

  /** A convolution's weights and bias, when this convolution alone reads them (so they can be changed). */
  private convParams(conv: Node): { weights: Float32Array; bias: Float32Array } | undefined {
    const [, w, b] = conv.input!;
    if (!w || this.consumers(w).length !== 1 || (b && this.consumers(b).length !== 1)) return undefined;
    const weights = this.floats(w);
    const outChannels = this.outChannels(conv);
    if (!weights || outChannels === undefined) return undefined;
    const bias = b ? this.floats(b) : new Float32Array(outChannels);
    return bias && bias.length === outChannels ? { weights, bias } : undefined;
  }

  private outChannels(conv: Node): number | undefined {
    const dim = this.constants.get(conv.input![1]!)?.dims?.[0];
    return dim === undefined ? undefined : typeof dim === 'number' ? dim : dim.toNumber();
  }

  private writeConvParams(conv: Node, weights: Float32Array, bias: Float32Array): void {
    this.setFloats(conv.input![1]!, weights);
    if (conv.input![2]) this.setFloats(conv.input![2], bias);
    else {
      const name = `${conv.output![0]}.fused_bias`;
      this.addConstant(name, bias, conv);
      conv.input!.push(name);
    }
  }

  /** Removes `node`, handing its output's name to what produced its input. */
  private bypass(node: Node, input: string): void {
    this.producer(input)!.output![0] = node.output![0]!;
    this.nodes.splice(this.nodes.indexOf(node), 1);
  }

  /** Conv → Mul(s) → Add(b) as one Conv: s · (W∗x + B) + b = (s·W)∗x + (s·B + b). */
  foldAffineIntoConvs(): number {
    let count = 0;
    for (const conv of this.nodes.filter((n) => n.opType === 'Conv')) {
      for (;;) {
        const out = conv.output![0]!;
        const next = this.soleConsumer(out, 'Mul') ?? this.soleConsumer(out, 'Add');
        const value = next && this.scalarOperand(next, out);
        const params = value === undefined ? undefined : this.convParams(conv);
        if (!next || value === undefined || !params) break;
        const { weights, bias } = params;
        if (next.opType === 'Mul') {
          weights.forEach((w, i) => (weights[i] = w * value));
          bias.forEach((v, i) => (bias[i] = v * value));
        } else bias.forEach((v, i) => (bias[i] = v + value));
        this.writeConvParams(conv, weights, bias);
        this.bypass(next, out);
        count++;
      }
    }
    return count;
  }

  /** Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(6), as Mul(x, HardSigmoid(x; 1/6, 0.5)). */
  rewriteHardSwish(): number {
    let count = 0;
    for (const add of this.nodes.filter((n) => n.opType === 'Add')) {
      const x = add.input!.find((i) => this.scalarOperand(add, i) === 3);
      const clip = x && this.soleConsumer(add.output![0]!, 'Clip');
      if (!x || !clip || !this.clipsTo(clip, 0, 6)) continue;
      const mul = this.soleConsumer(clip.output![0]!, 'Mul');
      if (!mul || mul.input!.length !== 2 || !mul.input!.includes(x) || !mul.input!.includes(clip.output![0]!)) continue;
      const div = this.soleConsumer(mul.output![0]!, 'Div');
      if (!div || div.input![0] !== mul.output![0] || this.scalarOperand(div, mul.output![0]!) !== 6) continue;
      const gate = `${div.output![0]}.hard_sigmoid`;
      const at = this.nodes.indexOf(add);
      this.nodes = this.nodes.filter((n) => n !== add && n !== clip && n !== mul && n !== div);
      this.nodes.splice(
        at,
        0,
        {
          opType: 'HardSigmoid',
          input: [x],
          output: [gate],
          attribute: [
            { name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: 1 / 6 },
            { name: 'beta', type: onnx.AttributeProto.AttributeType.FLOAT, f: 0.5 },
          ],
        },
        { opType: 'Mul', input: [x, gate], output: [div.output![0]!] },
      );
      count++;
    }
    return count;
  }

  /**
   * Conv → x · HardSigmoid(x) → Mul(s): the convolution gives s·x instead, and the gate reads it with
   * its slope divided by s, so it still sees x: s · x · hσ(α·x + β) = (s·x) · hσ((α/s)·(s·x) + β).
   */
  foldScaleAfterHardSwish(): number {
    let count = 0;
    for (const gate of this.nodes.filter((n) => n.opType === 'HardSigmoid')) {
      const x = gate.input![0]!;
      const conv = this.producer(x);
      const readers = this.consumers(x);
      const mul = readers.find((n) => n.opType === 'Mul' && n.input!.includes(gate.output![0]!) && n.input!.includes(x));
      if (conv?.opType !== 'Conv' || readers.length !== 2 || !mul || this.graphOutputs.has(x)) continue;
      const scale = this.soleConsumer(mul.output![0]!, 'Mul');
      const s = scale && this.scalarOperand(scale, mul.output![0]!);
      const params = s ? this.convParams(conv) : undefined;
      const alpha = gate.attribute?.find((a) => a.name === 'alpha');
      if (!scale || !s || !params || !alpha) continue;
      const { weights, bias } = params;
      weights.forEach((w, i) => (weights[i] = w * s));
      bias.forEach((v, i) => (bias[i] = v * s));
      this.writeConvParams(conv, weights, bias);
      alpha.f = (alpha.f ?? 0.2) / s;
      mul.output![0] = scale.output![0]!;
      this.nodes.splice(this.nodes.indexOf(scale), 1);
      count++;
    }
    return count;
  }

  /**
   * Add(b) → a 1×1 convolution without padding: every input it reads is shifted by b, so its bias takes
   * b times the sum of each filter's weights. A padded convolution reads zeros at the edges, not b, so its
   * shift stays (folded anyway, the recognition model's character probabilities moved by up to 0.66).
   */
  foldShiftIntoPointwiseConvs(): number {
    let count = 0;
    for (const add of this.nodes.filter((n) => n.opType === 'Add')) {
      const { x, b } = this.shift(add) ?? {};
      const conv = b === undefined ? undefined : this.soleConsumer(add.output![0]!, 'Conv');
      const params = conv && conv.input![0] === add.output![0] && pointwise(conv) ? this.convParams(conv) : undefined;
      if (!conv || b === undefined || !params) continue;
      const { weights, bias } = params;
      const perFilter = weights.length / bias.length;
      bias.forEach((v, o) => (bias[o] = v + b * weights.subarray(o * perFilter, (o + 1) * perFilter).reduce((sum, w) => sum + w, 0)));
      this.writeConvParams(conv, weights, bias);
      conv.input![0] = x!;
      this.nodes.splice(this.nodes.indexOf(add), 1);
      count++;
    }
    return count;
  }

  /** x · HardSigmoid(x) with x from a 2-D convolution: the convolution, the gate and the feature map's channels. */
  private hardSwish(mul: Node): { conv: Node; gate: Node; channels: number } | undefined {
    if (mul.opType !== 'Mul' || mul.input!.length !== 2) return undefined;
    for (const [x, g] of [mul.input!, [...mul.input!].reverse()] as const) {
      const conv = this.producer(x!);
      const gate = this.producer(g!);
      if (conv?.opType !== 'Conv' || gate?.opType !== 'HardSigmoid' || gate.input![0] !== x) continue;
      const channels = this.outChannels(conv);
      if (channels !== undefined && this.constants.get(conv.input![1]!)!.dims!.length === 4) return { conv, gate, channels };
    }
    return undefined;
  }

  /** A 1×1 convolution of each channel by 1 (plus `shift`): the identity, in a layout ONNX Runtime keeps. */
  private insertDepthwise(input: string, output: string, channels: number, before: Node, shift?: number): void {
    const weights = `${output}.ones`;
    this.addConstant(weights, new Float32Array(channels).fill(1), before, [channels, 1, 1, 1]);
    const inputs = [input, weights];
    if (shift !== undefined) {
      inputs.push(`${output}.shift`);
      this.addConstant(inputs[2]!, new Float32Array(channels).fill(shift), before);
    }
    const { INT, INTS } = onnx.AttributeProto.AttributeType;
    this.nodes.splice(this.nodes.indexOf(before), 0, {
      opType: 'Conv',
      input: inputs,
      output: [output],
      attribute: [
        { name: 'group', type: INT, i: channels },
        { name: 'kernel_shape', type: INTS, ints: [1, 1] },
      ],
    });
  }

  /**
   * A shift left after a hard-swish (a padded convolution reads it) becomes a 1×1 depthwise convolution
   * with the shift as its bias: the same sums, and the feature map stays in the convolutions' layout.
   */
  shiftsAsDepthwiseConvs(): number {
    let count = 0;
    for (const add of this.nodes.filter((n) => n.opType === 'Add')) {
      const { x: y, b } = this.shift(add) ?? {};
      const swish = y === undefined ? undefined : this.producer(y);
      const channels = swish && this.hardSwish(swish)?.channels;
      if (b === undefined || channels === undefined) continue;
      this.insertDepthwise(y!, add.output![0]!, channels, add, b);
      this.nodes.splice(this.nodes.indexOf(add), 1);
      count++;
    }
    return count;
  }

  /**
   * ONNX Runtime cannot run HardSigmoid in its blocked layout, so each hard-swish moved the feature map
   * out of that layout and back. Read through an identity depthwise convolution, the gate is fused into
   * that convolution and the map stays blocked.
   */
  gatesThroughDepthwiseConvs(): number {
    let count = 0;
    for (const mul of this.nodes.filter((n) => n.opType === 'Mul')) {
      const swish = this.hardSwish(mul);
      if (!swish) continue;
      const through = `${swish.gate.output![0]}.input`;
      this.insertDepthwise(swish.conv.output![0]!, through, swish.channels, swish.gate);
      swish.gate.input![0] = through;
      count++;
    }
    return count;
  }

  /** Clip's bounds: attributes up to opset 10, constant inputs from 11. */
  private clipsTo(clip: Node, min: number, max: number): boolean {
    const attr = (name: string) => clip.attribute?.find((a) => a.name === name)?.f;
    const input = (k: number) => (clip.input![k] ? this.floats(clip.input![k])?.[0] : undefined);
    return (attr('min') ?? input(1)) === min && (attr('max') ?? input(2)) === max;
  }

  dropUnusedConstants(): void {
    const read = new Set(this.nodes.flatMap((n) => n.input ?? []));
    this.nodes = this.nodes.filter((n) => n.opType !== 'Constant' || read.has(n.output![0]!) || this.graphOutputs.has(n.output![0]!));
  }
}

/** A 1×1 convolution reading no padding. */
function pointwise(conv: Node): boolean {
  const attr = (name: string) => conv.attribute?.find((a) => a.name === name);
  const kernel = (attr('kernel_shape')?.ints ?? []).map(Number);
  const pads = (attr('pads')?.ints ?? []).map(Number);
  const autoPad = attr('auto_pad')?.s;
  return (
    kernel.length > 0 &&
    kernel.every((k) => k === 1) &&
    pads.every((p) => p === 0) &&
    (!autoPad || ['NOTSET', 'VALID'].includes(new TextDecoder().decode(autoPad)))
  );
}
