"""语言模型的数据采样、循环神经网络及其训练函数（第6章）。"""

from __future__ import annotations

import math
import random
import time

from mxnet import autograd, gluon, init, nd
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

from .train import History, grad_clipping, sgd

__all__ = [
    "to_onehot",
    "data_iter_random",
    "data_iter_consecutive",
    "predict_rnn",
    "predict_rnn_gluon",
    "train_and_predict_rnn",
    "train_and_predict_rnn_gluon",
    "RNNModel",
]


def to_onehot(X, size):
    """把形状为 (批量大小, 时间步数) 的下标矩阵变成时间步数个 (批量大小, size) 的 one-hot 矩阵。"""
    return [nd.one_hot(x, size) for x in X.T]


def data_iter_random(corpus_indices, batch_size, num_steps, ctx=None):
    """随机采样：每个样本是原序列上任意一段长 num_steps 的子序列，相邻小批量在原序列上不一定相邻。"""
    # 减1是因为输出的下标是相应输入的下标加1
    num_examples = (len(corpus_indices) - 1) // num_steps
    epoch_size = num_examples // batch_size
    example_indices = list(range(num_examples))
    random.shuffle(example_indices)

    def _data(pos):  # 返回从 pos 开始的长为 num_steps 的序列
        return corpus_indices[pos : pos + num_steps]

    for i in range(epoch_size):
        batch_indices = example_indices[i * batch_size : (i + 1) * batch_size]
        X = [_data(j * num_steps) for j in batch_indices]
        Y = [_data(j * num_steps + 1) for j in batch_indices]
        yield nd.array(X, ctx=ctx), nd.array(Y, ctx=ctx)


def data_iter_consecutive(corpus_indices, batch_size, num_steps, ctx=None):
    """相邻采样：相邻两个小批量在原序列上位置相邻，可以把上一批的隐藏状态接着用。"""
    corpus_indices = nd.array(corpus_indices, ctx=ctx)
    data_len = len(corpus_indices)
    batch_len = data_len // batch_size
    indices = corpus_indices[0 : batch_size * batch_len].reshape((batch_size, batch_len))
    epoch_size = (batch_len - 1) // num_steps
    for i in range(epoch_size):
        i = i * num_steps
        X = indices[:, i : i + num_steps]
        Y = indices[:, i + 1 : i + num_steps + 1]
        yield X, Y


def predict_rnn(prefix, num_chars, rnn, params, init_rnn_state, num_hiddens, vocab_size, ctx, idx_to_char,
                char_to_idx):
    """用从零实现的循环神经网络 rnn 在前缀 prefix 之后续写 num_chars 个字符。"""
    state = init_rnn_state(1, num_hiddens, ctx)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        # 将上一时间步的输出作为当前时间步的输入
        X = to_onehot(nd.array([output[-1]], ctx=ctx), vocab_size)
        # 计算输出和更新隐藏状态
        (Y, state) = rnn(X, state, params)
        # 下一个时间步的输入是 prefix 里的字符或者当前的最佳预测字符
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y[0].argmax(axis=1).asscalar()))
    return "".join([idx_to_char[i] for i in output])


def predict_rnn_gluon(prefix, num_chars, model, vocab_size, ctx, idx_to_char, char_to_idx):
    """用 Gluon 实现的模型（如 :class:`RNNModel`）在前缀 prefix 之后续写 num_chars 个字符。"""
    state = model.begin_state(batch_size=1, ctx=ctx)
    output = [char_to_idx[prefix[0]]]
    for t in range(num_chars + len(prefix) - 1):
        X = nd.array([output[-1]], ctx=ctx).reshape((1, 1))
        (Y, state) = model(X, state)  # 前向计算不需要传入模型参数
        if t < len(prefix) - 1:
            output.append(char_to_idx[prefix[t + 1]])
        else:
            output.append(int(Y.argmax(axis=1).asscalar()))
    return "".join([idx_to_char[i] for i in output])


def train_and_predict_rnn(rnn, get_params, init_rnn_state, num_hiddens, vocab_size, ctx, corpus_indices,
                          idx_to_char, char_to_idx, is_random_iter, num_epochs, num_steps, lr,
                          clipping_theta, batch_size, pred_period, pred_len, prefixes):
    """训练从零实现的循环神经网络，每 pred_period 个迭代周期用它续写 prefixes 中的各个前缀。

    返回记录了各迭代周期困惑度和用时的 History。
    """
    if is_random_iter:
        data_iter_fn = data_iter_random
    else:
        data_iter_fn = data_iter_consecutive
    params = get_params()
    loss = gloss.SoftmaxCrossEntropyLoss()
    history = History()
    for epoch in range(num_epochs):
        if not is_random_iter:  # 如使用相邻采样，在epoch开始时初始化隐藏状态
            state = init_rnn_state(batch_size, num_hiddens, ctx)
        l_sum, n, start = 0.0, 0, time.time()
        data_iter = data_iter_fn(corpus_indices, batch_size, num_steps, ctx)
        for X, Y in data_iter:
            if is_random_iter:  # 如使用随机采样，在每个小批量更新前初始化隐藏状态
                state = init_rnn_state(batch_size, num_hiddens, ctx)
            else:  # 否则需要使用detach函数从计算图分离隐藏状态
                for s in state:
                    s.detach()
            with autograd.record():
                inputs = to_onehot(X, vocab_size)
                # outputs有num_steps个形状为(batch_size, vocab_size)的矩阵
                (outputs, state) = rnn(inputs, state, params)
                # 连结之后形状为(num_steps * batch_size, vocab_size)
                outputs = nd.concat(*outputs, dim=0)
                # Y的形状是(batch_size, num_steps)，转置后再变成长度为
                # batch * num_steps 的向量，这样跟输出的行一一对应
                y = Y.T.reshape((-1,))
                # 使用交叉熵损失计算平均分类误差
                l = loss(outputs, y).mean()
            l.backward()
            grad_clipping(params, clipping_theta, ctx)  # 裁剪梯度
            sgd(params, lr, 1)  # 因为误差已经取过均值，梯度不用再做平均
            l_sum += l * y.size  # 累加 NDArray，每个迭代周期结束时才读出数值
            n += y.size

        perplexity, sec = math.exp(l_sum.asscalar() / n), time.time() - start
        history.add(perplexity=perplexity, time=sec)
        if (epoch + 1) % pred_period == 0:
            print(f"epoch {epoch + 1}, perplexity {perplexity:f}, time {sec:.2f} sec")
            for prefix in prefixes:
                print(" -", predict_rnn(prefix, pred_len, rnn, params, init_rnn_state, num_hiddens,
                                        vocab_size, ctx, idx_to_char, char_to_idx))
    return history


def train_and_predict_rnn_gluon(model, num_hiddens, vocab_size, ctx, corpus_indices, idx_to_char,
                                char_to_idx, num_epochs, num_steps, lr, clipping_theta, batch_size,
                                pred_period, pred_len, prefixes):
    """用相邻采样训练 Gluon 实现的循环神经网络，每 pred_period 个迭代周期续写各个前缀。

    返回记录了各迭代周期困惑度和用时的 History。
    """
    loss = gloss.SoftmaxCrossEntropyLoss()
    model.initialize(ctx=ctx, force_reinit=True, init=init.Normal(0.01))
    trainer = gluon.Trainer(model.collect_params(), "sgd", {"learning_rate": lr, "momentum": 0, "wd": 0})
    history = History()
    for epoch in range(num_epochs):
        l_sum, n, start = 0.0, 0, time.time()
        data_iter = data_iter_consecutive(corpus_indices, batch_size, num_steps, ctx)
        state = model.begin_state(batch_size=batch_size, ctx=ctx)
        for X, Y in data_iter:
            for s in state:
                s.detach()
            with autograd.record():
                (output, state) = model(X, state)
                y = Y.T.reshape((-1,))
                l = loss(output, y).mean()
            l.backward()
            # 梯度裁剪
            params = [p.data() for p in model.collect_params().values()]
            grad_clipping(params, clipping_theta, ctx)
            trainer.step(1)  # 因为已经误差取过均值，梯度不用再做平均
            l_sum += l * y.size  # 累加 NDArray，每个迭代周期结束时才读出数值
            n += y.size

        perplexity, sec = math.exp(l_sum.asscalar() / n), time.time() - start
        history.add(perplexity=perplexity, time=sec)
        if (epoch + 1) % pred_period == 0:
            print(f"epoch {epoch + 1}, perplexity {perplexity:f}, time {sec:.2f} sec")
            for prefix in prefixes:
                print(" -", predict_rnn_gluon(prefix, pred_len, model, vocab_size, ctx, idx_to_char,
                                              char_to_idx))
    return history


class RNNModel(nn.Block):
    """循环神经网络语言模型：一个 Gluon 循环层（rnn.RNN/GRU/LSTM）加一个输出全连接层。"""

    def __init__(self, rnn_layer, vocab_size, **kwargs):
        super().__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.dense = nn.Dense(vocab_size)

    def forward(self, inputs, state):
        X = nd.one_hot(inputs.T, self.vocab_size)
        Y, state = self.rnn(X, state)
        # 全连接层会首先将 Y 的形状变成 (num_steps * batch_size, num_hiddens)，它的输出
        # 形状为 (num_steps * batch_size, vocab_size)
        output = self.dense(Y.reshape((-1, Y.shape[-1])))
        return output, state

    def begin_state(self, *args, **kwargs):
        return self.rnn.begin_state(*args, **kwargs)
