# Dev-time study (not run by tests or at run time): how far AMX-BF16-style products (bf16 operands,
# float32 accumulation) move SmolLM2's first-step log-probabilities from the float32 oracle's
# (../shared/oracles/smollm2_ref.py), for three prompts. Modes: `all` rounds both operands of every
# weight product to bf16; `split` adds the activations' bf16 remainder (two products); `split3` also
# the weights' remainder (three products, float32-grade). Attention and the output projection stay
# float32, as the engine's mat-vec path would. Usage: python3 bf16_accuracy.py model.gguf [all|split|split3]
import sys, numpy as np
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / 'shared' / 'oracles'))
import smollm2_ref as R
def bf16(a):
    a = np.ascontiguousarray(a, dtype=np.float32); u = a.view(np.uint32).astype(np.uint64)
    r = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) << 16
    return r.astype(np.uint32).view(np.float32)
kv, T = R.load(sys.argv[1]); tok = R.BPE(kv)
mode = sys.argv[2] if len(sys.argv) > 2 else 'all'
Tb = {k: (bf16(v) if v.ndim == 2 else v) for k, v in T.items()}
def forward_bf16(ids):
    # the oracle's forward with every weight product taking bf16 operands (attention stays fp32)
    L=kv['llama.block_count']; H=kv['llama.attention.head_count']; KVH=kv['llama.attention.head_count_kv']
    D=kv['llama.embedding_length']; hd=D//H; eps=kv['llama.attention.layer_norm_rms_epsilon']; base=kv['llama.rope.freq_base']
    n=len(ids); x=T['token_embd.weight'][ids]
    pos=np.arange(n)[:,None]; inv=base**(-np.arange(0,hd,2)/hd); ang=pos*inv; cos,sin=np.cos(ang),np.sin(ang)
    def rope(t):
        a,b=t[...,0::2],t[...,1::2]; c=cos[:,None,:]; s_=sin[:,None,:]
        o=np.empty_like(t); o[...,0::2]=a*c-b*s_; o[...,1::2]=a*s_+b*c; return o
    def mm(h, name):
        hi = bf16(h)
        if mode == "split": return hi @ Tb[name].T + bf16(h - hi) @ Tb[name].T
        if mode == "split3": lo = bf16(T[name] - Tb[name]); return hi @ Tb[name].T + bf16(h - hi) @ Tb[name].T + hi @ lo.T
        return hi @ Tb[name].T
    mask=np.triu(np.full((n,n),-np.inf),1)
    for l in range(L):
        p=f'blk.{l}.'; h=R.rms(x,T[p+'attn_norm.weight'],eps)
        q=mm(h,p+'attn_q.weight').reshape(n,H,hd); k=mm(h,p+'attn_k.weight').reshape(n,KVH,hd); v=mm(h,p+'attn_v.weight').reshape(n,KVH,hd)
        q,k=rope(q),rope(k); rep=H//KVH; k=np.repeat(k,rep,axis=1); v=np.repeat(v,rep,axis=1)
        att=np.einsum('qhd,khd->hqk',q,k)/np.sqrt(hd)+mask; att=np.exp(att-att.max(-1,keepdims=True)); att/=att.sum(-1,keepdims=True)
        o=np.einsum('hqk,khd->qhd',att,v).reshape(n,D); x=x+mm(o,p+'attn_output.weight')
        h=R.rms(x,T[p+'ffn_norm.weight'],eps); g=mm(h,p+'ffn_gate.weight'); u=mm(h,p+'ffn_up.weight')
        x=x+mm((g/(1+np.exp(-g)))*u,p+'ffn_down.weight')
    x=R.rms(x,T['output_norm.weight'],eps)
    # the output projection stays on the exact path (mat-vec for the last token)
    return x@T['token_embd.weight'].T
def logprobs(z): return z - z.max() - np.log(np.exp(z - z.max()).sum())
for up in ['What is the capital of France?', 'Write a haiku about the sea.', 'Explain photosynthesis in one sentence.']:
    prompt=f"<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\n{up}<|im_end|>\n<|im_start|>assistant\n"
    ids=tok.encode(prompt)
    a=logprobs(R.forward(kv,T,ids)[-1].astype(np.float64)); b=logprobs(forward_bf16(ids)[-1].astype(np.float64))
    top=np.argsort(-a)[:5]
    print(up, '| top-5 max |Δ logprob| = %.4f' % np.abs(a[top]-b[top]).max(), '| top-1 same:', int(a.argmax())==int(b.argmax()),
          '| oracle top5', [(tok.tokens[i], round(float(a[i]),3)) for i in top])
