"""Long work off the UI thread: one QObject per heavy resource, each in its own QThread.

``ModelWorker`` owns the chat model (and answers: retrieval, generation, saving the exchange);
``IndexWorker`` owns the import (parser process, embedding, store writes). The window talks to
them only through queued signals; stopping uses ``threading.Event``s, which the busy worker
checks between tokens and between files.
"""

from __future__ import annotations

import logging
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_app.core.embedding import Embedder
from desktop_app.core.errors import AppError, StoreError
from desktop_app.core.workspace import Workspace

log = logging.getLogger(__name__)


class SharedEmbedder:
    """One embedder for both workers, loaded on first use (importing torch takes seconds)."""

    def __init__(self, workspace: Workspace):
        self._workspace = workspace
        self._embedder: Embedder | None = None
        self._lock = threading.Lock()

    def get(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = self._workspace.make_embedder()
            return self._embedder


@dataclass(frozen=True)
class AskRequest:
    question: str
    conversation_id: int | None
    use_retrieval: bool = True
    doc_ids: tuple[int, ...] | None = None  # None: the whole library
    history: tuple = ()  # earlier core.llm.Message turns
    top_k: int = 5
    max_tokens: int = 384
    temperature: float = 0.2


class ModelWorker(QObject):
    modelLoading = Signal(str)
    modelLoaded = Signal(str, dict)  # name, facts (path, n_ctx, threads, gpu layers, load seconds)
    modelFailed = Signal(str)
    adaptersChanged = Signal(list)  # [(path, scale)]
    adapterFailed = Signal(str)
    retrieved = Signal(list)  # sources (core.rag.Source), before the first token
    token = Signal(str)
    answerFinished = Signal(object, object)  # core.rag.Answer, conversation id (None when it could not be saved)
    answerNotSaved = Signal(str)
    answerFailed = Signal(str)
    compared = Signal(str, object)  # configuration name, core.rag.Answer
    comparisonFinished = Signal()
    evalProgress = Signal(int, int)
    evalFinished = Signal(int)  # run id
    evalFailed = Signal(str)

    def __init__(self, workspace: Workspace, embedder: SharedEmbedder):
        super().__init__()
        self.workspace = workspace
        self.embedder = embedder
        self.model = None
        self.cancel = threading.Event()
        self._store = None

    def _open_store(self):
        if self._store is None:
            self._store = self.workspace.open_store()
        return self._store

    @Slot(str)
    def load_model(self, path: str) -> None:
        self.modelLoading.emit(Path(path).name if path else "default model")
        try:
            new_model = self.workspace.load_chat_model(path or None)
        except AppError as exc:
            self.modelFailed.emit(str(exc))
            return
        except Exception as exc:  # never leave the worker dead on an unexpected failure
            log.exception("model load failed")
            self.modelFailed.emit(f"The model could not be loaded: {exc}")
            return
        previous, self.model = self.model, new_model
        if previous is not None:
            previous.close()
        self.modelLoaded.emit(new_model.name, {
            "path": str(new_model.path), "n_ctx": new_model.n_ctx, "threads": new_model.n_threads,
            "gpu_layers": new_model.n_gpu_layers, "load_s": new_model.load_seconds,
            "architecture": new_model.info.architecture})
        self.adaptersChanged.emit([])

    @Slot(list)
    def set_adapters(self, adapters: list) -> None:
        if self.model is None:
            self.adapterFailed.emit("No model is loaded yet.")
            return
        try:
            self.model.set_adapters(adapters)
        except AppError as exc:
            self.adapterFailed.emit(str(exc))
        self.adaptersChanged.emit([(str(a.path), a.scale) for a in self.model.active_adapters])

    @Slot(object)
    def ask(self, request: AskRequest) -> None:
        from desktop_app.core import conversations
        from desktop_app.core.answering import AnswerOptions, answer_question

        self.cancel.clear()
        if self.model is None:
            self.answerFailed.emit("The model is not loaded yet; wait for it (see the status bar).")
            return
        try:
            store = self._open_store()
            options = AnswerOptions(use_retrieval=request.use_retrieval, top_k=request.top_k, doc_ids=request.doc_ids,
                                    max_tokens=request.max_tokens, temperature=request.temperature, seed=None)
            answer = answer_question(
                self.model, store, self.embedder.get() if request.use_retrieval else None, request.question,
                options=options, history=request.history, on_sources=lambda s: self.retrieved.emit(list(s)),
                on_token=self.token.emit, cancel=self.cancel)
            conversation_id = request.conversation_id
            try:
                if conversation_id is None:
                    conversation_id = conversations.create_conversation(store).id
                conversations.add_exchange(store, conversation_id, answer)
            except StoreError as exc:  # a read-only or full data folder: show the answer all the same
                self.answerFinished.emit(answer, request.conversation_id)
                self.answerNotSaved.emit(str(exc))
                return
            self.answerFinished.emit(answer, conversation_id)
        except AppError as exc:
            self.answerFailed.emit(str(exc))
        except Exception as exc:
            log.error("answer failed: %s", traceback.format_exc())
            self.answerFailed.emit(f"The answer failed: {exc}")

    @Slot(str, list)
    def compare(self, question: str, adapters: list) -> None:
        from desktop_app.core.answering import AnswerOptions, compare

        self.cancel.clear()
        if self.model is None:
            self.answerFailed.emit("The model is not loaded yet; wait for it (see the status bar).")
            return
        settings = self.workspace.settings
        try:
            compare(self.model, self._open_store(), self.embedder.get(), question, adapters=adapters,
                    options=AnswerOptions(top_k=settings.top_k, max_tokens=settings.max_answer_tokens, temperature=0.0),
                    on_answer=lambda configuration, answer: self.compared.emit(configuration.name, answer),
                    cancel=self.cancel)
            self.comparisonFinished.emit()
        except AppError as exc:
            self.answerFailed.emit(str(exc))
            self.comparisonFinished.emit()
        except Exception as exc:
            log.error("compare failed: %s", traceback.format_exc())
            self.answerFailed.emit(f"The comparison failed: {exc}")
            self.comparisonFinished.emit()

    @Slot(str, str)
    def evaluate(self, kind: str, path: str) -> None:
        """Run an evaluation and save it in the store; ``evalFinished`` carries the run id."""
        from pathlib import Path as _Path

        from desktop_app.core.answering import AnswerOptions, Configuration, four_configurations
        from desktop_app.core.evaluation import answer_eval, grounding_eval, retrieval_eval, runs
        from desktop_app.core.store import Store

        self.cancel.clear()
        progress = self.evalProgress.emit
        try:
            store = self._open_store()
            embedder = self.embedder.get()
            settings = self.workspace.settings
            facts = {"embedder": embedder.info.identity, "chunk_tokens": settings.chunk_tokens,
                     "chunk_overlap": settings.chunk_overlap, "top_k": settings.top_k}
            if kind == "retrieval-beir":
                corpus, queries = retrieval_eval.load_beir(_Path(path))
                with Store(retrieval_eval.beir_store_path(self.workspace.data.root / "eval", _Path(path))) as beir:
                    retrieval_eval.index_corpus(beir, embedder, corpus, chunk_tokens=settings.chunk_tokens,
                                                overlap=settings.chunk_overlap, progress=progress, cancel=self.cancel)
                    summary, details = retrieval_eval.evaluate_retrieval(beir, embedder, queries, progress=progress,
                                                                         cancel=self.cancel)
                run_id = runs.save_run(store, kind="retrieval", label=f"beir:{path}", settings={**facts, "k": 10},
                                       summary=summary, details=details)
            elif kind == "retrieval-questions":
                queries = retrieval_eval.load_library_questions(_Path(path), store)
                summary, details = retrieval_eval.evaluate_retrieval(store, embedder, queries, progress=progress,
                                                                     cancel=self.cancel)
                run_id = runs.save_run(store, kind="retrieval", label=path, settings={**facts, "k": 10},
                                       summary=summary, details=details)
            else:
                if self.model is None:
                    raise AppError("The model is not loaded yet.")
                fitting = self.workspace.default_adapters(self.model.info.architecture)
                facts.update(model=self.model.name)
                if kind == "answers":
                    configurations = four_configurations(fitting)
                    summary, details = answer_eval.evaluate_answers(
                        self.model, store, embedder, answer_eval.load_answer_questions(_Path(path)), configurations,
                        options=AnswerOptions(top_k=settings.top_k, max_tokens=160, temperature=0.0),
                        progress=progress, cancel=self.cancel)
                    label = path
                else:
                    configurations = [Configuration("base", True, ())] + (
                        [Configuration("+adapter", True, tuple(fitting))] if fitting else [])
                    summary, details = grounding_eval.evaluate_grounding(self.model, configurations, count=40,
                                                                         progress=progress, cancel=self.cancel)
                    label = "synthetic held-out x40"
                facts["configurations"] = {c.name: [[_Path(p).name, s] for p, s in c.adapters] for c in configurations}
                run_id = runs.save_run(store, kind="answers" if kind == "answers" else "grounding", label=label,
                                       settings=facts, summary=summary, details=details)
            self.evalFinished.emit(run_id)
        except (AppError, OSError, ValueError, KeyError) as exc:
            self.evalFailed.emit(f"The evaluation failed: {exc}")
        except Exception as exc:
            log.error("evaluation failed: %s", traceback.format_exc())
            self.evalFailed.emit(f"The evaluation failed: {exc}")

    def shutdown(self) -> None:
        if self.model is not None:
            self.model.close()
            self.model = None
        if self._store is not None:
            self._store.close()
            self._store = None


class IndexWorker(QObject):
    importStarted = Signal(int)  # files found
    progress = Signal(object)  # core.ingest.ImportProgress
    fileProgress = Signal(object)  # core.ingest.FileProgress, while a large file is streamed
    importFinished = Signal(object)  # core.ingest.ImportSummary
    importFailed = Signal(str)
    libraryChanged = Signal()

    def __init__(self, workspace: Workspace, embedder: SharedEmbedder):
        super().__init__()
        self.workspace = workspace
        self.embedder = embedder
        self.cancel = threading.Event()
        self._extractor = None

    @Slot()
    def warm_up(self) -> None:
        """Load the embedder ahead of the first import or question (importing torch takes seconds)."""
        try:
            self.embedder.get().load()
        except AppError as exc:
            self.importFailed.emit(str(exc))

    @Slot(list)
    def import_paths(self, paths: list) -> None:
        from desktop_app.core.ingest import Importer, collect_files
        from desktop_app.core.isolation import IsolatedExtractor

        self.cancel.clear()
        try:
            files, _ = collect_files(paths)
            self.importStarted.emit(len(files))
            if self._extractor is None:
                self._extractor = IsolatedExtractor()
            settings = self.workspace.settings
            with self.workspace.open_store() as store:
                importer = Importer(store, self.embedder.get(), extractor=self._extractor,
                                    chunk_tokens=settings.chunk_tokens, chunk_overlap=settings.chunk_overlap)
                summary = importer.run(paths, on_progress=self.progress.emit, on_file_progress=self.fileProgress.emit,
                                       cancel=self.cancel)
        except AppError as exc:
            self.importFailed.emit(str(exc))
            self.libraryChanged.emit()
        except Exception as exc:
            log.error("import failed: %s", traceback.format_exc())
            self.importFailed.emit(f"The import failed: {exc}")
            self.libraryChanged.emit()
        else:
            self.importFinished.emit(summary)

    @Slot(list)
    def remove_documents(self, paths: list) -> None:
        try:
            with self.workspace.open_store() as store:
                for path in paths:
                    store.remove_document(path)
        except AppError as exc:
            self.importFailed.emit(str(exc))
        self.libraryChanged.emit()

    @Slot()
    def discard_pending(self) -> None:
        with self.workspace.open_store() as store:
            store.clear_import_queue()

    def shutdown(self) -> None:
        if self._extractor is not None:
            self._extractor.close()
            self._extractor = None


def start_in_thread(worker: QObject, name: str) -> QThread:
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.start()
    return thread
